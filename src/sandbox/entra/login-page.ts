import type { DemoUser } from './demo-directory.js';
import { escapeHtml } from './html.js';

/** The page's words in the languages Entra would show for `ui_locales` (the sandbox knows Proofup's four). */
const WORDS = {
  en: [
    'Sign in',
    'Sandbox Entra ID: no real accounts. Choose who you are, then answer the MFA request.',
    'Approve the MFA request',
    'Deny the MFA request',
    'Sign in without MFA',
  ],
  de: [
    'Anmelden',
    'Sandbox-Entra-ID: keine echten Konten. Wählen Sie, wer Sie sind, und beantworten Sie dann die MFA-Anfrage.',
    'MFA-Anfrage genehmigen',
    'MFA-Anfrage ablehnen',
    'Ohne MFA anmelden',
  ],
  es: [
    'Iniciar sesión',
    'Entra ID de prueba: no hay cuentas reales. Elige quién eres y responde a la solicitud MFA.',
    'Aprobar la solicitud MFA',
    'Denegar la solicitud MFA',
    'Iniciar sesión sin MFA',
  ],
  fr: [
    'Se connecter',
    'Entra ID de test : aucun compte réel. Choisissez qui vous êtes, puis répondez à la demande MFA.',
    'Approuver la demande MFA',
    'Refuser la demande MFA',
    'Se connecter sans MFA',
  ],
} as const;

/** The sandbox's "Microsoft sign-in" page: pick a demo user, then answer the MFA request. */
export function loginPage(options: {
  action: string;
  interaction: string;
  users: DemoUser[];
  loginHint?: string;
  /** `ui_locales` of the request ("de-DE"): the page speaks that language, as Entra's does. */
  uiLocales?: string;
}): string {
  const lang = (options.uiLocales?.slice(0, 2).toLowerCase() ?? 'en') as keyof typeof WORDS;
  const [title, note, approve, deny, noMfa] = WORDS[lang] ?? WORDS.en;
  const tag = WORDS[lang] ? lang : 'en';
  const rows = options.users
    .map((user, i) => {
      const checked = options.loginHint ? user.upn === options.loginHint : i === 0;
      return `<label class="user"><input type="radio" name="oid" value="${escapeHtml(user.oid)}"${checked ? ' checked' : ''}>
        <span><strong>${escapeHtml(user.name)}</strong><br><small>${escapeHtml(user.upn)}</small></span></label>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="${tag}"><head><meta charset="utf-8"><title>${escapeHtml(title)} (sandbox Entra ID)</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  body { font-family: system-ui, sans-serif; background: #f3f2f1; margin: 0; }
  main { max-width: 440px; margin: 48px auto; background: #fff; padding: 32px; box-shadow: 0 2px 6px rgba(0,0,0,.2); }
  h1 { font-size: 24px; margin-top: 0; } .note { color: #605e5c; font-size: 14px; }
  .user { display: flex; gap: 12px; align-items: center; padding: 8px; border: 1px solid #edebe9; margin: 6px 0; cursor: pointer; }
  button { display: block; width: 100%; padding: 10px; margin-top: 10px; font-size: 15px; cursor: pointer; border: 1px solid #8a8886; background: #fff; }
  button.primary { background: #0067b8; color: #fff; border-color: #0067b8; }
</style></head>
<body><main>
  <h1>${escapeHtml(title)}</h1>
  <p class="note">${escapeHtml(note)}</p>
  <form method="post" action="${escapeHtml(options.action)}">
    <input type="hidden" name="interaction" value="${escapeHtml(options.interaction)}">
    ${rows}
    <button class="primary" name="decision" value="approve">${escapeHtml(approve)}</button>
    <button name="decision" value="deny">${escapeHtml(deny)}</button>
    <button name="decision" value="nomfa">${escapeHtml(noMfa)}</button>
  </form>
</main></body></html>`;
}

export function errorPage(code: string, message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in error</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 560px; margin: 48px auto">
<h1>Sorry, but we're having trouble signing you in.</h1><p>${escapeHtml(code)}: ${escapeHtml(message)}</p></body></html>`;
}
