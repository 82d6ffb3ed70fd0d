// The small HTML pages of the sign-in flow. No inline script (strict CSP); values are escaped.
const escapeHtml = (v: string) => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const AUTH_PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors https://teams.microsoft.com https://*.teams.microsoft.com https://*.cloud.microsoft";

function page(title: string, body: string, scripts: string[] = []): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 520px; margin: 48px auto; padding: 0 16px; color: #242424; }
  .code { font-size: 40px; letter-spacing: 8px; font-weight: 700; font-family: ui-monospace, monospace; margin: 16px 0; }
  .warn { background: #fff4ce; padding: 12px; border-left: 4px solid #c19c00; }
</style>${scripts.map((src) => `\n<script src="${src}"></script>`).join('')}
</head><body>${body}</body></html>`;
}

/** Shown after a verified sign-in on channels where the user types the code into the chat. */
export function codePage(code: string, name: string): string {
  return page(
    'Your Proofup code',
    `<h1>Signed in as ${escapeHtml(name)}</h1>
<p>Type this code into <strong>your own</strong> chat with Proofup, where you asked to change your security info:</p>
<p class="code" id="binding-code">${escapeHtml(code)}</p>
<p class="warn">Never give this code to anyone: not to IT, not to a colleague. Anyone who types it into their chat
could change your sign-in phone. The code works for 10 minutes.</p>
<p>You can close this window afterwards.</p>`,
  );
}

/** Runs inside the Teams auth window: hands the verification code to Teams, which sends signin/verifyState. */
export function teamsCompletePage(code: string): string {
  return page(
    'Completing sign-in',
    `<p id="status" data-code="${escapeHtml(code)}">Completing sign-in, this window closes by itself…</p>`,
    ['/auth/teams-js.js', '/auth/teams-complete.js'],
  );
}

export function refusalPage(title: string, message: string): string {
  return page(
    title,
    `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>
<p>Nothing was changed. Go back to your chat with Proofup to try again.</p>`,
  );
}

/** Loaded after the bundled TeamsJS: passes the code from the page to Teams. */
export const TEAMS_COMPLETE_SCRIPT = `(function () {
  var status = document.getElementById('status');
  var code = status.getAttribute('data-code');
  microsoftTeams.app.initialize().then(function () {
    microsoftTeams.authentication.notifySuccess(code);
  }).catch(function () {
    status.textContent = 'Please finish signing in from Microsoft Teams.';
  });
})();`;
