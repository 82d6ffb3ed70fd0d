// The pass page of the Verified ID way (helpdesk/pass-page.ts): the request to open in Authenticator (link and QR
// code), then — polled by a small same-origin script, no inline code (strict CSP) — the progress, and the pass, once.
// Every message is rendered here, translated and escaped; the script only picks one by the poll's state.
import { type Lang, type MessageKey, t } from '../i18n/i18n.js';
import { escapeHtml, page } from './auth-pages.js';

export const VERIFY_PAGE_CSP =
  "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
export const VERIFY_SCRIPT_PATH = '/verify/page.js';

/** The messages the script shows, by the poll's state (data attributes on #status). */
const STATES: Record<string, MessageKey> = {
  waiting: 'page.verifyWaiting',
  retrieved: 'page.verifyRetrieved',
  approval: 'page.verifyApproval',
  pass: 'page.verifyPass',
  shown: 'page.verifyShown',
  expired: 'page.verifyExpired',
  elsewhere: 'page.verifyElsewhere',
  unknown: 'page.verifyUnknown',
  'not-shown': 'page.verifyNotShown',
  'face-check': 'page.verifyFailedFace',
  'wrong-person': 'page.verifyFailedPerson',
  other: 'page.verifyFailed',
};

export function verifyPage(
  view: { id: string; token: string; name: string; url: string; qrCode?: string; walletUrl?: string },
  lang: Lang,
): string {
  const say = (key: MessageKey, values?: Record<string, string>) => escapeHtml(t(lang, key, values));
  const data = Object.entries(STATES)
    .map(([state, key]) => ` data-${state}="${say(key, { until: '{until}' })}"`)
    .join('');
  const poll = `/verify/${encodeURIComponent(view.id)}/status?t=${encodeURIComponent(view.token)}`;
  return page(
    lang,
    t(lang, 'page.verifyTitle'),
    `<h1>${say('page.verifyTitle')}</h1>
<p id="what">${say('page.verifyPresent', { name: view.name })}</p>
<div id="present">
<p><a id="open" href="${escapeHtml(view.url)}">${say('page.verifyOpen')}</a></p>
${view.qrCode ? `<p><img id="qr" alt="QR code" width="240" height="240" src="${escapeHtml(view.qrCode)}"></p>` : ''}
${view.walletUrl ? `<p><a id="wallet" href="${escapeHtml(view.walletUrl)}" target="_blank">${say('page.verifySandboxWallet')}</a></p>` : ''}
</div>
<p id="status" data-poll="${escapeHtml(poll)}"${data}>${say('page.verifyWaiting')}</p>
<p class="code" id="pass" hidden></p>`,
    [VERIFY_SCRIPT_PATH],
  );
}

/** A page for a link that shows nothing (unknown, expired, opened elsewhere, Verified ID unreachable). */
export function verifyRefusedPage(key: MessageKey, lang: Lang): string {
  return page(
    lang,
    t(lang, 'page.verifyTitle'),
    `<h1>${escapeHtml(t(lang, 'page.verifyTitle'))}</h1>
<p id="status">${escapeHtml(t(lang, key))}</p>`,
  );
}

/** Polls every 2 s; shows the state's message; shows the pass once and takes it off the page after 10 minutes. */
export const VERIFY_PAGE_SCRIPT = `(function () {
  // Loaded in <head>: start once the body is there.
  if (document.readyState === 'loading') return document.addEventListener('DOMContentLoaded', start);
  start();
  function start() {
  var status = document.getElementById('status');
  var passEl = document.getElementById('pass');
  var present = document.getElementById('present');
  var poll = status.getAttribute('data-poll');
  var FINAL = { shown: 1, expired: 1, elsewhere: 1, unknown: 1, 'not-shown': 1, failed: 1 };
  function say(state, until) {
    var text = status.getAttribute('data-' + state) || status.getAttribute('data-other');
    status.textContent = until ? text.replace('{until}', until) : text;
  }
  function tick() {
    fetch(poll, { cache: 'no-store', credentials: 'same-origin' }).then(function (r) { return r.json(); }).then(function (s) {
      if (s.state === 'pass') {
        present.hidden = true;
        document.getElementById('what').hidden = true;
        passEl.textContent = s.pass;
        passEl.hidden = false;
        say('pass', new Date(s.validUntil).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }));
        setTimeout(function () { passEl.textContent = ''; passEl.hidden = true; say('shown'); }, 10 * 60 * 1000);
        return;
      }
      say(s.state === 'failed' ? s.reason : s.state);
      if (FINAL[s.state]) { present.hidden = true; return; }
      setTimeout(tick, 2000);
    }).catch(function () { setTimeout(tick, 5000); });
  }
  tick();
  }
})();`;
