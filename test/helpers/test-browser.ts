// One browser, as far as the bot can tell: its own cookie jar, sent back to the bot on every request and updated from
// every Set-Cookie (a Max-Age of 0 removes a cookie). Two TestBrowsers are two people's browsers.
import { local } from './step-up-flow.js';
import type { TestBot } from './test-bot.js';

export class TestBrowser {
  readonly cookies = new Map<string, string>();
  /** Every Set-Cookie the bot sent, raw (attributes included), newest last. */
  readonly setCookies: string[] = [];

  constructor(private readonly bot: TestBot) {}

  /** GET a URL of the bot (its public base URL is mapped to the test server); redirects are not followed. */
  get(url: string): Promise<Response> {
    return this.request(url, { method: 'GET' });
  }

  /** POST a form to a path of the bot. */
  post(pathOrUrl: string, form: Record<string, string>): Promise<Response> {
    return this.request(pathOrUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  }

  private async request(url: string, init: RequestInit): Promise<Response> {
    const target = url.startsWith('/') ? `${this.bot.url}${url}` : local(this.bot, url);
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(target, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) },
    });
    for (const raw of res.headers.getSetCookie()) {
      this.setCookies.push(raw);
      const [pair = '', ...attributes] = raw.split(';');
      const [name = '', ...value] = pair.split('=');
      const gone = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (gone || !value.join('=')) this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value.join('='));
    }
    return res;
  }
}
