// The pass page of the Verified ID way, and Verified ID's callback:
//   GET  /verify/:id?t=…        the page (the first browser with the link owns it: cookie proofup_verify, Path=/verify)
//   GET  /verify/:id/status?t=… the page's poll; answers the pass itself, once, when the request is ready
//   GET  /verify/page.js        the page's script (no inline script: strict CSP)
//   POST /api/verifiedid/callback  Verified ID's callback, authenticated by the presentation's api-key header
import type { Request, Response } from 'restify';
import type { PassPage } from '../../helpdesk/pass-page.js';
import { DEFAULT_LANG, languageOfHeader, type MessageKey } from '../../i18n/i18n.js';
import { VERIFY_PAGE_CSP, VERIFY_PAGE_SCRIPT, verifyPage, verifyRefusedPage } from '../pass-page-html.js';
import { requestLogger } from '../request-log.js';

export interface VerifyRouteDeps {
  /** The pass page (HELPDESK_VERIFICATION lists verified-id); absent: 404. */
  passPage?: PassPage;
  /** Sandbox only: the simulated Authenticator's page for a presentation request. */
  sandboxWalletUrl?: (requestId: string) => string;
}

const COOKIE = 'proofup_verify';
const COOKIE_ATTRIBUTES = 'Path=/verify; HttpOnly; Secure; SameSite=Strict';

const REFUSED: Record<string, MessageKey> = {
  unknown: 'page.verifyUnknown',
  elsewhere: 'page.verifyElsewhere',
  closed: 'page.verifyExpired',
  expired: 'page.verifyExpired',
  unavailable: 'page.verifyUnavailable',
  shown: 'page.verifyShown',
};

function cookieOf(req: Request): string | undefined {
  const header = req.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === COOKIE) return rest.join('=') || undefined;
  }
  return undefined;
}

function html(res: Response, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': VERIFY_PAGE_CSP,
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(body);
}

export function verifyRoutes(deps: VerifyRouteDeps) {
  const paramsOf = (req: Request) => {
    const url = new URL(req.url ?? '/', 'http://x');
    return { id: url.pathname.split('/')[2] ?? '', token: url.searchParams.get('t') ?? undefined };
  };
  return {
    page: async (req: Request, res: Response): Promise<void> => {
      const lang = languageOfHeader(req.headers['accept-language']) ?? DEFAULT_LANG;
      if (!deps.passPage) return html(res, 404, verifyRefusedPage('page.verifyUnknown', lang));
      const { id, token } = paramsOf(req);
      const view = await deps.passPage.view(id, token, cookieOf(req));
      if (view.kind === 'refused') {
        const status = view.why === 'unknown' ? 404 : view.why === 'unavailable' ? 503 : 403;
        return html(res, status, verifyRefusedPage(REFUSED[view.why] as MessageKey, lang));
      }
      const body = verifyPage(
        {
          id,
          token: token ?? '',
          name: view.name,
          url: view.url,
          ...(view.qrCode ? { qrCode: view.qrCode } : {}),
          ...(deps.sandboxWalletUrl ? { walletUrl: deps.sandboxWalletUrl(view.requestId) } : {}),
        },
        lang,
      );
      const cookie: Record<string, string> = view.browser
        ? { 'set-cookie': `${COOKIE}=${view.browser}; Max-Age=3600; ${COOKIE_ATTRIBUTES}` }
        : {};
      html(res, 200, body, cookie);
    },

    status: async (req: Request, res: Response): Promise<void> => {
      const json = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
      if (!deps.passPage) {
        res.writeHead(404, json);
        res.end(JSON.stringify({ state: 'unknown' }));
        return;
      }
      const { id, token } = paramsOf(req);
      const state = await deps.passPage.status(
        id,
        token,
        cookieOf(req),
        (pass, validUntil) =>
          // The pass is counted as on screen only once its answer was handed to the connection in full.
          new Promise<void>((resolve, reject) => {
            res.once('finish', resolve);
            res.once('close', () => (res.writableFinished ? resolve() : reject(new Error('the page went away'))));
            res.writeHead(200, json);
            res.end(JSON.stringify({ state: 'pass', pass, validUntil }));
          }),
      );
      if (res.headersSent) return; // the pass itself was the answer
      res.writeHead(state.state === 'unknown' ? 404 : state.state === 'elsewhere' ? 403 : 200, json);
      res.end(JSON.stringify(state));
    },

    script: async (_req: Request, res: Response): Promise<void> => {
      res.writeHead(200, {
        'content-type': 'text/javascript; charset=utf-8',
        'cache-control': 'public, max-age=3600',
        'x-content-type-options': 'nosniff',
      });
      res.end(VERIFY_PAGE_SCRIPT);
    },

    callback: async (req: Request, res: Response): Promise<void> => {
      if (!deps.passPage) {
        res.send(404, { error: 'NotFound' });
        return;
      }
      const key = req.headers['api-key'];
      const status = await deps.passPage.callback(req.body, typeof key === 'string' ? key : undefined);
      if (status !== 200) requestLogger(req).warn({ status }, 'Verified ID callback refused');
      res.send(status, status === 200 ? {} : { error: status === 401 ? 'api-key wrong or missing' : 'BadRequest' });
    },
  };
}
