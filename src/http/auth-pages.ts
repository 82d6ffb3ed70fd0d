// The small HTML pages of the sign-in flow, in the language of the request (else the browser's). No inline script
// (strict CSP); every value and message is escaped.
import { DEFAULT_LANG, type Lang, type MessageKey, t } from '../i18n/i18n.js';

export const escapeHtml = (v: string) => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const AUTH_PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors https://teams.microsoft.com https://*.teams.microsoft.com https://*.cloud.microsoft";
/** The Slack confirmation page posts its form to this server only, and is never framed. */
export const CONFIRM_PAGE_CSP =
  "default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
export const SLACK_CONFIRM_PATH = '/auth/slack/confirm';

export function page(lang: Lang, title: string, body: string, scripts: string[] = []): string {
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 520px; margin: 48px auto; padding: 0 16px; color: #242424; }
  .code { font-size: 40px; letter-spacing: 8px; font-weight: 700; font-family: ui-monospace, monospace; margin: 16px 0; }
  .warn { background: #fff4ce; padding: 12px; border-left: 4px solid #c19c00; }
</style>${scripts.map((src) => `\n<script src="${src}"></script>`).join('')}
</head><body>${body}</body></html>`;
}

/** Shown after a verified sign-in on channels where the user types the code into the chat. */
export function codePage(code: string, name: string, lang: Lang = DEFAULT_LANG): string {
  const say = (key: MessageKey, values?: Record<string, string>) => escapeHtml(t(lang, key, values));
  return page(
    lang,
    t(lang, 'page.codeTitle'),
    `<h1>${say('page.signedInAs', { name })}</h1>
<p>${say('page.typeCode')}</p>
<p class="code" id="binding-code">${escapeHtml(code)}</p>
<p class="warn">${say('page.neverShare')}</p>
<p>${say('page.close')}</p>`,
  );
}

/** Runs inside the Teams auth window: hands the verification code to Teams, which sends signin/verifyState. */
export function teamsCompletePage(code: string, lang: Lang = DEFAULT_LANG): string {
  return page(
    lang,
    t(lang, 'page.completingTitle'),
    `<p id="status" data-code="${escapeHtml(code)}" data-finish="${escapeHtml(t(lang, 'page.finishInTeams'))}">${escapeHtml(
      t(lang, 'page.completing'),
    )}</p>`,
    ['/auth/teams-js.js', '/auth/teams-complete.js'],
  );
}

export function refusalPage(title: string, message: string, lang: Lang = DEFAULT_LANG): string {
  return page(
    lang,
    title,
    `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>
<p>${escapeHtml(t(lang, 'page.goBack'))}</p>`,
  );
}

/**
 * Before a Slack user is bound to an Entra account: the account holder (just signed in with MFA) reads which Slack
 * user in which workspace will act as them, and links or refuses. Two submit buttons, one form, the state hidden.
 */
export function slackConfirmPage(
  view: { confirmToken: string; slackUser: string; workspace: string; name: string; upn: string },
  lang: Lang = DEFAULT_LANG,
): string {
  const say = (key: MessageKey, values?: Record<string, string>) => escapeHtml(t(lang, key, values));
  const { confirmToken, ...names } = view;
  return page(
    lang,
    t(lang, 'page.slackConfirmTitle'),
    `<h1>${say('page.slackConfirmTitle')}</h1>
<p id="what">${say('page.slackConfirmBody', names)}</p>
<p class="warn">${say('page.slackConfirmWarn')}</p>
<form method="post" action="${SLACK_CONFIRM_PATH}">
<input type="hidden" name="state" value="${escapeHtml(confirmToken)}">
<p><button type="submit" name="decision" value="link">${say('page.slackConfirmLink')}</button>
<button type="submit" name="decision" value="refuse">${say('page.slackConfirmRefuse')}</button></p>
</form>`,
  );
}

/** A sign-in that completed in the browser (Slack): nothing to copy, the chat goes on. */
export function donePage(title: string, message: string, lang: Lang = DEFAULT_LANG): string {
  return page(lang, title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`);
}

/** Loaded after the bundled TeamsJS: passes the code from the page to Teams. */
export const TEAMS_COMPLETE_SCRIPT = `(function () {
  var status = document.getElementById('status');
  var code = status.getAttribute('data-code');
  microsoftTeams.app.initialize().then(function () {
    microsoftTeams.authentication.notifySuccess(code);
  }).catch(function () {
    status.textContent = status.getAttribute('data-finish');
  });
})();`;
