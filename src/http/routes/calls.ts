// POST /api/calls/events: Call Automation's webhook. Only ACS-signed requests are read (401 otherwise); each event
// acts on its call (play, hang up) and the outcome goes to the flow of the sealed context in the URL.
import type { CallAutomationEvent } from '@azure/communication-call-automation';
import type { Request, Response } from 'restify';
import type { FlowRunner } from '../../runner/flow-runner.js';
import { CallEventRejected, type CallEventVerifier } from '../../voice/call-events.js';
import type { CodeCaller } from '../../voice/code-caller.js';
import { requestLogger } from '../request-log.js';

export interface CallRouteDeps {
  calls?: { caller: CodeCaller; verifier: CallEventVerifier };
  runner: FlowRunner;
}

export function callEventsHandler(deps: CallRouteDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const log = requestLogger(req);
    const calls = deps.calls;
    if (!calls) {
      res.send(404, { error: 'NotFound', message: 'Calls are not configured.' });
      return;
    }
    try {
      await calls.verifier.verify(req.headers.authorization);
    } catch (err) {
      if (!(err instanceof CallEventRejected)) throw err;
      log.warn({ code: 'PROOFUP_CALL_EVENT_REFUSED', reason: err.message }, 'call event without a valid ACS token');
      res.send(401, { error: 'Unauthorized', message: 'Only Azure Communication Services may post call events.' });
      return;
    }
    const context = calls.caller.contextOf(new URL(req.url ?? '/', 'http://x').searchParams.get('c') ?? undefined);
    if (!context) {
      // Signed by ACS but not a call of ours that is still live: acknowledged (no retries), nothing done.
      log.warn({ code: 'PROOFUP_CALL_EVENT_UNKNOWN' }, 'call event for an unknown or expired call ignored');
      res.send(200, { handled: 0 });
      return;
    }
    let events: CallAutomationEvent[];
    try {
      events = await calls.caller.parse(req.body);
    } catch (err) {
      log.warn({ err }, 'call event body is not Call Automation events');
      res.send(400, { error: 'BadRequest', message: 'The body must be Call Automation events.' });
      return;
    }
    let handled = 0;
    for (const event of events) {
      log.info({ callEvent: event.kind, callConnectionId: event.callConnectionId }, 'call event');
      const ours = await calls.caller.onEvent(event, context, (report) =>
        deps.runner.handle(report.chat, undefined, {
          type: 'callEnded',
          sends: report.sends,
          outcome: report.outcome,
        }),
      );
      if (ours) handled++;
      else
        log.warn(
          { code: 'PROOFUP_CALL_EVENT_MISMATCH', callEvent: event.kind, callConnectionId: event.callConnectionId },
          'call event of another call than its context ignored',
        );
    }
    res.send(200, { handled });
  };
}
