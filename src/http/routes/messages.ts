import type { Activity, ActivityHandler } from 'botbuilder';
import type { AuthenticateRequestResult } from 'botframework-connector';
import type { Request, Response } from 'restify';
import type { ProofupAdapter } from '../../bot/adapter.js';
import { TURN_LOGGER_KEY } from '../../bot/turn-logger.js';
import { ErrorCodes } from '../../errors.js';
import type { Metrics } from '../../metrics/metrics.js';
import type { DeliveryDedupe } from '../../storage/dedupe.js';
import type { InflightTracker } from '../inflight.js';
import { requestLogger } from '../request-log.js';

export interface MessagesRouteDeps {
  metrics: Metrics;
  adapter: ProofupAdapter;
  bot: ActivityHandler;
  inflight: InflightTracker;
  dedupe: DeliveryDedupe;
}

/** A channel id as a label: the known ones by name, anything else "other" (labels must stay a small set). */
export function channelLabel(channelId: unknown): string {
  return typeof channelId === 'string' && KNOWN_CHANNELS.has(channelId) ? channelId : 'other';
}
const KNOWN_CHANNELS = new Set(['msteams', 'emulator', 'webchat', 'directline', 'slack', 'test']);

/** The fields every later step relies on, with their JSON types (anything else is a 400, never a TypeError). */
function isActivity(body: unknown): body is Activity {
  if (typeof body !== 'object' || body === null) return false;
  const a = body as { type?: unknown; serviceUrl?: unknown; id?: unknown; channelId?: unknown };
  return (
    typeof a.type === 'string' &&
    (a.serviceUrl === undefined || typeof a.serviceUrl === 'string') &&
    (a.id === undefined || typeof a.id === 'string') &&
    (a.channelId === undefined || typeof a.channelId === 'string')
  );
}

/** POST /api/messages: authenticate (any rejection is 401), then run the turn. */
export function messagesHandler(deps: MessagesRouteDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const log = requestLogger(req);
    const count = (outcome: string) =>
      deps.metrics.turns.inc({ channel: channelLabel((req.body as { channelId?: unknown })?.channelId), outcome });
    if (!isActivity(req.body)) {
      count('bad_request');
      log.warn({ code: ErrorCodes.BAD_ACTIVITY }, 'request body is not an activity');
      res.send(400, { error: 'BadRequest', message: 'The body must be a JSON Bot Framework activity with a type.' });
      return;
    }
    const activity = req.body;
    let auth: AuthenticateRequestResult;
    try {
      auth = await deps.adapter.authenticate(activity, req.header('authorization') ?? '');
    } catch (err) {
      count('unauthorized');
      log.warn({ code: ErrorCodes.BOT_AUTH_REJECTED, reason: (err as Error).message }, 'bot request rejected');
      res.send(401, { error: 'Unauthorized' });
      return;
    }
    const done = deps.inflight.begin();
    try {
      // A channel that redelivers an activity (timeout, retry) gets 200 and no second answer, on any instance. The
      // mark is written once the turn has ended: a redelivery after a crash mid-turn is processed (what it changed in
      // a flow is recognised by the flow itself, which stores the activity id with the transition).
      const scope = `${activity.channelId}\n${activity.conversation?.id ?? ''}`;
      const deliveryId = typeof activity.id === 'string' && activity.id ? activity.id : undefined;
      if (deliveryId && (await deps.dedupe.seen(scope, deliveryId))) {
        count('duplicate');
        log.info({ activityId: activity.id }, 'activity already processed; redelivery ignored');
        res.send(200);
        return;
      }
      const invokeResponse = await deps.adapter.processAuthenticated(auth, activity, async (context) => {
        context.turnState.set(TURN_LOGGER_KEY, log);
        await deps.bot.run(context);
      });
      if (deliveryId) await deps.dedupe.processed(scope, deliveryId);
      count('ok');
      res.send(invokeResponse?.status ?? 200, invokeResponse?.body);
    } catch (err) {
      count('failed');
      log.error({ err, code: ErrorCodes.TURN_FAILED, activityId: activity.id }, 'activity processing failed');
      res.send(500, { error: 'InternalError' });
    } finally {
      done();
    }
  };
}
