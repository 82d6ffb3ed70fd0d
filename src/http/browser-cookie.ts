// The cookie that ties the steps of a Slack sign-in to ONE browser: set when the chat's link is opened, presented at
// Sign in with Slack's return, at Entra's return and at the confirmation; the attempt keeps only its hash. HttpOnly
// (no script reads it), Secure, SameSite=Lax (sent on the top-level redirects back from Slack and Entra, not on
// cross-site posts), scoped to /auth, gone after 10 minutes or when the sign-in ends.
import type { Request } from 'restify';

const NAME = 'proofup_signin';
const ATTRIBUTES = 'Path=/auth; HttpOnly; Secure; SameSite=Lax';

export function setBrowserCookie(secret: string, maxAgeSeconds: number): string {
  return `${NAME}=${secret}; Max-Age=${maxAgeSeconds}; ${ATTRIBUTES}`;
}

export function clearBrowserCookie(): string {
  return `${NAME}=; Max-Age=0; ${ATTRIBUTES}`;
}

/** The cookie's value on this request, if the browser sent it (the last one wins if sent twice). */
export function browserCookieOf(req: Request): string | undefined {
  const header = req.headers.cookie;
  if (typeof header !== 'string') return undefined;
  let found: string | undefined;
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === NAME) found = rest.join('=');
  }
  return found || undefined;
}
