// Slack's edge: @slack/bolt 5 does the protocol work — the request signature and its 5-minute freshness (401
// otherwise), url_verification, the ack within 3 seconds (events are acknowledged before any work runs), the Web API
// client. POST /api/slack/events is handed to Bolt's own request listener before restify's body parser (the signature
// needs the raw body), after slack-request-guard.ts has refused what Bolt cannot handle safely (bad shapes, future
// timestamps). A retried delivery of an event already handled (X-Slack-Retry-Num) is acknowledged and dropped, and so
// is a replayed interaction (a button press, modal submission or slash command whose trigger_id was seen): both are
// deduplicated in storage, so it holds across instances. SLACK_APP_TOKEN selects Socket Mode instead.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, HTTPReceiver, LogLevel, SocketModeReceiver, type webApi } from '@slack/bolt';
import type { SlackConfig } from '../../config-model.js';
import type { Logger } from '../../logging.js';
import type { DeliveryDedupe } from '../../storage/dedupe.js';
import type { ProofupStorage } from '../../storage/store.js';
import { actionIdOf, buttonData, escapeRegExp } from './blocks.js';
import type { SlackBot } from './slack-bot.js';
import { CHANGE_SHORTCUT } from './slack-home.js';
import { createSlackInstalls, type SlackInstalls } from './slack-installs.js';
import { guardSlackRequest } from './slack-request-guard.js';
import { SlackWorkspaces, WorkspaceWebClient, workspaceOf } from './slack-workspaces.js';

export const SLACK_EVENTS_PATH = '/api/slack/events';
const WORK_CONCURRENCY = 8;

/** How many acknowledged events may wait for a worker; past that they are dropped, loudly (memory stays bounded). */
const MAX_WAITING = 1000;

export class QueueFullError extends Error {
  constructor(readonly waiting: number) {
    super(`Slack work queue full (${waiting} waiting)`);
  }
}

/**
 * Runs at most `limit` tasks at once, the rest in arrival order — at most `maxWaiting` of them: a task beyond that is
 * refused at once with QueueFullError (the event was acknowledged already; the caller logs it).
 */
export function workQueue(limit: number, maxWaiting = MAX_WAITING) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= limit && waiting.length >= maxWaiting) throw new QueueFullError(waiting.length);
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    // After the I/O already waiting (new requests to acknowledge), not before it.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

export interface SlackEdge {
  /** Bolt's handler for POST /api/slack/events (undefined in Socket Mode). */
  handle?: (req: IncomingMessage, res: ServerResponse) => void;
  client: webApi.WebClient;
  /** Which installation a call speaks for (slack-workspaces.ts). */
  workspaces: SlackWorkspaces;
  /** OAuth installs (SLACK_STATE_SECRET): /slack/install and /slack/oauth_redirect. */
  installs?: SlackInstalls;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Bolt's and the Web API client's logger over ours. Their debug lines carry whole request and response bodies
 * (e-mail addresses from users.info, what users typed): dropped. The rest is kept short.
 */
/**
 * Where a button was pressed and the data it carried: a message in a DM or a channel, or the Home tab (no channel: the
 * press continues in the user's DM); undefined for anything else.
 */
function pressAt(team: string, body: unknown, action: unknown) {
  const b = body as {
    user?: { id?: string };
    channel?: { id?: string };
    view?: { type?: string };
    trigger_id?: string;
  };
  const data = buttonData((action as { value?: unknown }).value);
  const fromHome = b.view?.type === 'home';
  if (!data || !b.user?.id || (!b.channel?.id && !fromHome)) return undefined;
  return {
    address: { team, user: b.user.id, channel: b.channel?.id ?? '' },
    data,
    triggerId: b.trigger_id,
  };
}

function boltLogger(logger: Logger) {
  const log = logger.child({ component: 'slack' });
  const text = (msg: unknown[]) => msg.map(String).join(' ').slice(0, 300);
  return {
    debug: () => undefined,
    info: (...msg: unknown[]) => log.debug(text(msg)),
    warn: (...msg: unknown[]) => log.warn(text(msg)),
    error: (...msg: unknown[]) => log.error(text(msg)),
    setLevel: () => undefined,
    getLevel: () => LogLevel.INFO,
    setName: () => undefined,
  };
}

/**
 * Every Web API call has a deadline (SLACK_API_TIMEOUT_MS) and at most 2 retries within 3 deadlines — not the Web API
 * client's default of 10 retries over about 30 minutes, which held the work queue while Slack was down. A 429 is
 * retried after its Retry-After (that wait counts against the same bound).
 */
export function webApiOptions(config: Pick<SlackConfig, 'apiUrl' | 'apiTimeoutMs'>) {
  return {
    slackApiUrl: config.apiUrl,
    timeout: config.apiTimeoutMs,
    retryConfig: {
      retries: 2,
      factor: 2,
      minTimeout: 500,
      maxTimeout: 2000,
      maxRetryTime: 3 * config.apiTimeoutMs,
    },
  };
}

export function createSlackEdge(
  config: SlackConfig,
  deps: {
    logger: Logger;
    dedupe: DeliveryDedupe;
    storage: ProofupStorage;
    publicBaseUrl: string;
    bot: (client: SlackEdge['client'], workspaces: SlackWorkspaces) => SlackBot;
  },
): SlackEdge {
  const logger = boltLogger(deps.logger);
  const receiver = config.appToken
    ? new SocketModeReceiver({ appToken: config.appToken, logger })
    : new HTTPReceiver({
        signingSecret: config.signingSecret,
        endpoints: [SLACK_EVENTS_PATH],
        logger,
        processBeforeResponse: false,
      });
  const clientOptions = webApiOptions(config);
  const { botToken, installs: installsConfig } = config;
  const installs = installsConfig
    ? createSlackInstalls({ ...config, installs: installsConfig }, { ...deps, clientOptions })
    : undefined;
  // One token (SLACK_BOT_TOKEN), or each installation's; outside any event, the helpdesk's workspace.
  const workspaces = installs
    ? new SlackWorkspaces(installs.tokenOf, installsConfig?.helpdeskWorkspace)
    : new SlackWorkspaces(async () => botToken ?? '', 'single');
  const client = new WorkspaceWebClient(workspaces, { ...clientOptions, logger });
  // Who the bot is (auth.test), asked once per process — Bolt's own single-token mode would ask before every ack.
  let identity: Promise<{ botId?: string; botUserId?: string }> | undefined;
  const whoAmI = () => {
    identity ??= client.auth.test().then(
      (r) => ({ botId: r.bot_id, botUserId: r.user_id }),
      (err: unknown) => {
        identity = undefined;
        throw err;
      },
    );
    return identity;
  };
  const app = new App({
    receiver,
    authorize: installs ? (source) => installs.authorize(source) : async () => ({ botToken, ...(await whoAmI()) }),
    logger,
    clientOptions,
  });
  const bot = deps.bot(client, workspaces);
  const log = deps.logger.child({ component: 'slack' });
  // The work after an ack runs a few at a time, so a burst of events cannot starve the acks of the next ones (Slack
  // retries anything not acknowledged within 3 s).
  const work = workQueue(WORK_CONCURRENCY);

  // Retries of an event already handled: acknowledged (Bolt did) and not processed again, on any instance. The same
  // for interactions: Slack gives each press, submission and command its own trigger_id, so a second request with a
  // trigger_id already seen is a replay (acknowledged, nothing done).
  // Everything an event starts speaks for its workspace, with the token Bolt authorized it with.
  app.use(async ({ context, next }) => workspaces.in(workspaceOf(context), next, context.botToken));

  app.use(async (args) => {
    const { body, next } = args;
    const { event_id: eventId, trigger_id: triggerId, type } = body as Record<string, unknown>;
    if (typeof eventId === 'string' && !(await deps.dedupe.firstTime('slack-event', eventId))) {
      log.info({ eventId }, 'Slack event delivered again: already handled');
      return;
    }
    if (
      type !== 'event_callback' &&
      typeof triggerId === 'string' &&
      !(await deps.dedupe.firstTime('slack-interaction', triggerId))
    ) {
      log.warn(
        { code: 'PROOFUP_SLACK_REPLAY', type: String(type ?? 'command') },
        'Slack interaction replayed: ignored',
      );
      await (args as { ack?: () => Promise<void> }).ack?.();
      return;
    }
    await next();
  });

  app.event('message', async ({ event, context }) => {
    const m = event as {
      channel_type?: string;
      subtype?: string;
      bot_id?: string;
      user?: string;
      text?: string;
      channel: string;
    };
    if (m.channel_type !== 'im' || m.subtype || m.bot_id || !m.user) return;
    const team = workspaceOf(context);
    // "@Proofup change my MFA phone" in the DM: the mention itself is not part of what they asked.
    const text = (m.text ?? '').replace(/<@[A-Z0-9]+>/g, '').trim();
    await work(() => bot.directMessage({ team, user: m.user as string, channel: m.channel }, text.slice(0, 2000)));
  });

  app.event('app_mention', async ({ event, context }) => {
    const team = workspaceOf(context);
    // A mention in the bot's own DM also arrives as message.im, which answers it: answered once.
    const inDm = (event as { channel_type?: string }).channel_type === 'im' || event.channel.startsWith('D');
    if (!event.user || inDm) return;
    const user = event.user;
    await work(() => bot.mention(team, event.channel, user, event.text ?? ''));
  });

  // Each of our buttons to its own listener (their action_id starts with the action: blocks.ts), not queued: a modal
  // must open within the trigger's 3 seconds. Anything else — a select in a modal, a forged id — is acknowledged only,
  // or told "that has ended" when it carries a button's data.
  const routed = Object.keys(bot.actionRoutes());
  const dmOf = async (address: { team: string; user: string; channel: string }) => {
    if (address.channel) return address;
    const opened = await client.conversations.open({ users: address.user });
    return opened.channel?.id ? { ...address, channel: opened.channel.id } : undefined;
  };
  for (const name of routed)
    app.action(actionIdOf(name), async ({ ack, body, action, context }) => {
      await ack();
      const at = pressAt(workspaceOf(context), body, action);
      const address = at && (await dmOf(at.address));
      if (at && address) await bot.pressed(address, name, at.data, at.triggerId);
    });
  app.action(new RegExp(`^(?!(?:${routed.map(escapeRegExp).join('|')}):)`), async ({ ack, body, action, context }) => {
    await ack();
    const at = pressAt(workspaceOf(context), body, action);
    if (at) await bot.ended(at.address, String(at.data.action ?? ''));
  });

  app.view(/.*/, async ({ ack, view, body, context }) => {
    const submitter = { team: workspaceOf(context), user: body.user.id };
    const answer = await bot.submitted(view.callback_id, view.private_metadata, view.state.values, submitter);
    if (answer && 'errors' in answer) {
      await ack({ response_action: 'errors', errors: answer.errors });
      return;
    }
    await ack();
    await answer?.run();
  });

  app.event('app_home_opened', async ({ event, context }) => {
    if (event.tab !== 'home') return;
    const team = workspaceOf(context);
    await work(() => bot.home.opened(team, event.user));
  });

  // "Change my sign-in methods" from Slack's shortcuts menu: the intro in the user's DM.
  app.shortcut(CHANGE_SHORTCUT, async ({ ack, body, context }) => {
    await ack();
    const address = await dmOf({ team: workspaceOf(context), user: body.user.id, channel: '' });
    if (address) await work(() => bot.shortcut(address));
  });

  app.command('/proofup', async ({ ack, command, context }) => {
    await ack();
    const opened = await client.conversations.open({ users: command.user_id });
    const channel = opened.channel?.id;
    if (channel)
      await bot.directMessage({ team: workspaceOf(context), user: command.user_id, channel }, command.text || 'help');
  });

  // Uninstalled, or the bot's tokens revoked: with OAuth installs the installation goes (events from there are
  // refused from now on); with SLACK_BOT_TOKEN the token is dead and must be replaced.
  const gone = async (context: { teamId?: string; enterpriseId?: string; isEnterpriseInstall?: boolean }) => {
    if (installs) await installs.uninstalled(context);
    else log.error({ code: 'PROOFUP_SLACK_UNINSTALLED' }, 'Slack app uninstalled: SLACK_BOT_TOKEN no longer works');
  };
  app.event('app_uninstalled', async ({ context }) => gone(context));
  app.event('tokens_revoked', async ({ event, context }) => {
    if ((event.tokens.bot ?? []).length > 0) await gone(context);
  });

  app.error(async (error) => {
    const cause = (error as { original?: unknown }).original ?? error;
    if (cause instanceof QueueFullError) {
      log.error(
        { code: 'PROOFUP_SLACK_QUEUE_FULL', waiting: cause.waiting },
        'Slack work queue full: an acknowledged event was dropped (the user gets no answer; scale out or look for a slow dependency)',
      );
      return;
    }
    log.error({ err: error }, 'Slack event failed');
  });

  return {
    ...(receiver instanceof HTTPReceiver
      ? {
          handle: (req, res) =>
            void guardSlackRequest(req, res, (v) =>
              log.warn(
                { code: 'PROOFUP_SLACK_BAD_REQUEST', status: v.status, reason: v.reason },
                'Slack request refused',
              ),
            ).then((ok) => ok && receiver.requestListener(req, res)),
        }
      : {}),
    client,
    workspaces,
    ...(installs ? { installs } : {}),
    start: async () => {
      // Ask early, so the first event is not the one waiting for it (a failure is retried at that event).
      if (!installs) whoAmI().catch((err) => log.warn({ err }, 'Slack auth.test failed; retried at the first event'));
      if (config.appToken) await app.start();
    },
    stop: async () => {
      if (config.appToken) await app.stop();
    },
  };
}
