import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Request, Response } from 'restify';
import type { StepUpDialog } from '../../dialogs/step-up-dialog.js';
import { ErrorCodes } from '../../errors.js';
import { DEFAULT_LANG, type Lang, languageOfHeader, type MessageKey, t } from '../../i18n/i18n.js';
import { slackNames } from '../../identity/slack-bindings.js';
import { StepUpError, type StepUpReason } from '../../identity/step-up-errors.js';
import type { StepUpAttempt, StepUpService } from '../../identity/step-up-service.js';
import { ATTEMPT_LIFETIME_MS } from '../../identity/step-up-service.js';
import type { Metrics } from '../../metrics/metrics.js';
import {
  AUTH_PAGE_CSP,
  CONFIRM_PAGE_CSP,
  codePage,
  donePage,
  refusalPage,
  slackConfirmPage,
  TEAMS_COMPLETE_SCRIPT,
  teamsCompletePage,
} from '../auth-pages.js';
import { browserCookieOf, clearBrowserCookie, setBrowserCookie } from '../browser-cookie.js';
import { requestLogger } from '../request-log.js';

export interface AuthRouteDeps {
  stepUp: StepUpService;
  stepUpDialog: StepUpDialog;
  metrics: Metrics;
}

const STATUS: Partial<Record<StepUpReason, number>> = {
  'state-unknown': 400,
  'state-used': 409,
  'state-expired': 410,
  'attempt-cancelled': 410,
  'attempt-replaced': 410,
};

const TITLES: Partial<Record<StepUpReason, MessageKey>> = {
  'attempt-cancelled': 'page.cancelledTitle',
  'attempt-replaced': 'page.replacedTitle',
  'binding-refused': 'page.slackRefusedTitle',
};

/** Headers that end the Slack sign-in's browser cookie (sent with every final page). */
const ENDS_COOKIE = { 'set-cookie': clearBrowserCookie() };

/** The language of the request the link belongs to, else the browser's preference, else English. */
function pageLanguage(req: Request, attempt?: StepUpAttempt): Lang {
  return attempt?.wish?.lang ?? languageOfHeader(req.headers['accept-language']) ?? DEFAULT_LANG;
}

function sendHtml(res: Response, status: number, html: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': AUTH_PAGE_CSP,
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    ...extra,
  });
  res.end(html);
}

function refuse(req: Request, res: Response, err: unknown, metrics?: Metrics): void {
  const log = requestLogger(req);
  if (err instanceof StepUpError) {
    metrics?.stepUpRefusals.inc({ reason: err.reason });
    log.warn({ code: err.code, reason: err.reason, detail: err.message }, 'sign-in refused');
    const attempt = (err as { attempt?: StepUpAttempt }).attempt;
    const lang = pageLanguage(req, attempt);
    const title = t(lang, TITLES[err.reason] ?? 'page.refusedTitle');
    // A Slack sign-in link opened in someone else's browser: tell its holder whose link it was (a phishing attempt).
    const message =
      err.reason === 'browser-mismatch' && attempt?.slack
        ? t(lang, 'page.slackPhished', slackNames(attempt.slack))
        : err.userMessageIn(lang);
    sendHtml(res, STATUS[err.reason] ?? 403, refusalPage(title, message, lang), ENDS_COOKIE);
    return;
  }
  log.error({ err, code: ErrorCodes.STEP_UP_UNAVAILABLE }, 'sign-in failed');
  const lang = pageLanguage(req);
  sendHtml(res, 502, refusalPage(t(lang, 'page.unavailableTitle'), t(lang, 'page.unavailable'), lang));
}

const queryOf = (req: Request) => Object.fromEntries(new URL(req.url ?? '/', 'http://x').searchParams);

/** GET /auth/start?s=…: single-use link from the chat; redirects to the configured Entra authority only. */
export function authStartHandler(deps: AuthRouteDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    try {
      const { location, browserSecret } = await deps.stepUp.authorizationUrl(queryOf(req).s ?? '');
      res.writeHead(302, {
        location,
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
        ...(browserSecret ? { 'set-cookie': setBrowserCookie(browserSecret, ATTEMPT_LIFETIME_MS / 1000) } : {}),
      });
      res.end();
    } catch (err) {
      refuse(req, res, err, deps.metrics);
    }
  };
}

/** GET /auth/callback: Entra sends the browser back here with a code (or an error). */
export function authCallbackHandler(deps: AuthRouteDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    try {
      const outcome = await deps.stepUpDialog.completeSignIn(queryOf(req), browserCookieOf(req));
      requestLogger(req).info({ method: outcome.kind }, 'sign-in verified');
      const lang = pageLanguage(req, outcome.attempt);
      if (outcome.kind === 'slack-browser') {
        sendSlackDone(res, lang);
        return;
      }
      if (outcome.kind === 'slack-confirm') {
        const { slack, signIn } = outcome.attempt;
        const view = {
          confirmToken: outcome.confirmToken,
          ...slackNames(slack ?? { team: '', user: '' }),
          name: signIn?.name || signIn?.upn || '',
          upn: signIn?.upn ?? '',
        };
        sendHtml(res, 200, slackConfirmPage(view, lang), { 'content-security-policy': CONFIRM_PAGE_CSP });
        return;
      }
      const signIn = outcome.attempt.signIn;
      sendHtml(
        res,
        200,
        outcome.kind === 'typed-code'
          ? codePage(outcome.code, signIn?.name || signIn?.upn || '', lang)
          : teamsCompletePage(outcome.code, lang),
      );
    } catch (err) {
      refuse(req, res, err, deps.metrics);
    }
  };
}

function sendSlackDone(res: Response, lang: Lang): void {
  sendHtml(res, 200, donePage(t(lang, 'page.slackDoneTitle'), t(lang, 'page.slackDone'), lang), ENDS_COOKIE);
}

/** POST /auth/slack/confirm: the Entra account holder links the Slack user, or refuses ("This wasn't me"). */
export function authSlackConfirmHandler(deps: AuthRouteDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    try {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const form = {
        ...(typeof body.state === 'string' ? { state: body.state } : {}),
        ...(typeof body.decision === 'string' ? { decision: body.decision } : {}),
      };
      const outcome = await deps.stepUpDialog.confirmSlack(form, browserCookieOf(req));
      requestLogger(req).info({ method: outcome.kind }, 'Slack binding confirmed');
      sendSlackDone(res, pageLanguage(req, outcome.attempt));
    } catch (err) {
      refuse(req, res, err, deps.metrics);
    }
  };
}

/** GET /auth/slack/callback: Sign in with Slack sends the browser back; on to Entra when it is the link's user. */
export function authSlackCallbackHandler(deps: AuthRouteDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    try {
      const location = await deps.stepUpDialog.completeSlack(queryOf(req), browserCookieOf(req));
      res.writeHead(302, { location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
      res.end();
    } catch (err) {
      refuse(req, res, err, deps.metrics);
    }
  };
}

const teamsJs = (() => {
  let cached: string | undefined;
  return () => {
    cached ??= readFileSync(
      createRequire(import.meta.url).resolve('@microsoft/teams-js/dist/umd/MicrosoftTeams.min.js'),
      'utf8',
    );
    return cached;
  };
})();

function sendScript(res: Response, body: string): void {
  res.writeHead(200, {
    'content-type': 'text/javascript; charset=utf-8',
    'cache-control': 'public, max-age=3600',
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}

/** TeamsJS bundled from node_modules (no CDN) and the tiny script that hands the code to Teams. */
export function teamsScriptHandlers() {
  return {
    teamsJs: async (_req: Request, res: Response) => sendScript(res, teamsJs()),
    complete: async (_req: Request, res: Response) => sendScript(res, TEAMS_COMPLETE_SCRIPT),
  };
}
