// Carries out ONE queued effect of a flow and says what happened as a flow input (or nothing). Called only by the
// runner while it holds the flow's delivery lease; every effect may run again after a crash (at least once), so each
// is either idempotent (audit by record id, views by message id, Graph settled by reading back) or harmless to repeat.
import type { AuditLog } from '../audit/audit-log.js';
import type { Effect, Flow, FlowInput, QueuedEffect } from '../flow/flow.js';
import type { AuthMethodsClient } from '../graph/auth-methods-client.js';
import { newProgress, type PlanExecutor, type PlanProgress } from '../graph/plan-executor.js';
import type { Logger } from '../logging.js';
import type { ChangeNotifier } from '../notify/change-notifier.js';
import { type NumberRegistry, TEXTABLE } from '../numbers/number-registry.js';
import { e164Of } from '../phone/phone-number.js';
import type { CodeSender } from '../possession/one-time-codes.js';
import type { CodeCaller } from '../voice/code-caller.js';
import type { FlowEventListener, FlowPresenter } from './flow-presenter.js';

export interface EffectDeps {
  /** The clock (ACS's repeatability window is judged with it). */
  now?: () => number;
  numbers: NumberRegistry;
  presenterFor: (channelId: string) => FlowPresenter;
  codes: CodeSender;
  /** Calls that read a code aloud; absent when calls are not configured. */
  caller?: CodeCaller;
  executor: PlanExecutor;
  graph: AuthMethodsClient;
  notifier: ChangeNotifier;
  audit: AuditLog;
  listeners: FlowEventListener[];
  logger: Logger;
}

/** ACS keeps a Repeatability-Request-Id for 5 minutes; a little margin for clocks. */
const ACS_REPEATABILITY_MS = 4.5 * 60_000;

export class EffectExecutor {
  constructor(private readonly deps: EffectDeps) {}

  /**
   * `saveProgress` persists plan progress on the flow record and `commit` applies an input to it at once (both
   * compare-and-set, under the lease), for what must be stored before a side effect happens.
   */
  async execute(
    queued: QueuedEffect,
    flow: Flow,
    saveProgress: (progress: PlanProgress) => Promise<void>,
    commit: (input: FlowInput) => Promise<void>,
  ): Promise<FlowInput | undefined> {
    const effect = queued.effect;
    const presenter = () => this.deps.presenterFor(flow.chat.channelId);
    switch (effect.kind) {
      case 'show': {
        const shown = await presenter().show(flow.address, effect.view, effect.replace, flow.lang);
        const newPanel = (effect.panel || effect.replace) && !shown.replaced && shown.messageId;
        return newPanel ? { type: 'shown', messageId: shown.messageId as string } : undefined;
      }
      case 'retire':
        await presenter()
          .retire(flow.address, effect.messageId, flow.lang)
          .catch((err) =>
            this.deps.logger.warn({ err, flowId: flow.id }, 'could not take the buttons off an old card'),
          );
        return undefined;
      case 'sendCode': {
        const voice = effect.channel === 'voice';
        if (voice && !this.deps.caller) return { type: 'codeNotSent', reason: 'send-failed' };
        // The same caps for texts and calls: per person and per number, per hour.
        const issued = await this.deps.codes.issue(flow.user.oid, effect.to, flow.code);
        if (!issued.ok) return { type: 'codeNotSent', reason: issued.reason };
        await commit({ type: 'codeIssued', code: issued.state }); // the hash is stored before the code leaves
        try {
          if (voice) {
            const callId = await this.deps.caller?.call({
              to: effect.to,
              ...(effect.extension ? { extension: effect.extension } : {}),
              code: issued.code,
              lang: flow.lang ?? 'en',
              chat: flow.chat,
              sends: issued.state.sends,
            });
            this.deps.logger.info({ flowId: flow.id, callConnectionId: callId }, 'code call placed');
          } else await this.deps.codes.text(effect.to, issued.code, flow.lang);
          return undefined;
        } catch (err) {
          this.deps.logger.error({ err, flowId: flow.id, channel: effect.channel }, 'the code could not be sent');
          return { type: 'codeNotSent', reason: 'send-failed' };
        }
      }
      case 'apply': {
        const plan = flow.plan;
        if (!plan) return { type: 'planFinished', progress: { ...newProgress(), status: 'rolled-back' } };
        const progress = await this.deps.executor.run(
          { oid: flow.user.oid, steps: plan.steps, before: plan.before },
          flow.progress ?? newProgress(),
          saveProgress,
        );
        if (progress.status === 'done') await this.rememberHolder(flow);
        return { type: 'planFinished', progress };
      }
      case 'notifyEmail': {
        const repeatable = this.repeatable(queued, effect);
        // Past ACS's repeatability window: ask ACS whether an earlier try was accepted before sending it again.
        if (await this.deps.notifier.emailAccepted(this.earlierRequestIds(queued, effect, repeatable.requestId)))
          return { type: 'notified', channel: 'email', ok: true };
        const ok = await this.deps.notifier.email(
          {
            email: effect.to,
            name: effect.name,
            summary: effect.summary,
            at: new Date(effect.at),
            timeZone: flow.timeZone,
            lang: flow.lang,
            ...(effect.about ? { about: effect.about } : {}),
          },
          repeatable,
        );
        return { type: 'notified', channel: 'email', ok, ...(ok ? {} : { retry: { effect, ...repeatable } }) };
      }
      case 'notifySms': {
        const repeatable = this.repeatable(queued, effect);
        const ok = await this.deps.notifier.sms(effect.to, new Date(effect.at), repeatable, flow.timeZone, flow.lang);
        return { type: 'notified', channel: 'sms', ok, ...(ok ? {} : { retry: { effect, ...repeatable } }) };
      }
      case 'revokeSessions': {
        const ok = await this.deps.graph.revokeSignInSessions(flow.user.oid).then(
          () => true,
          (err) => {
            this.deps.logger.error({ err, flowId: flow.id }, 'could not sign the user out everywhere');
            return false;
          },
        );
        return { type: 'notified', channel: 'revoke', ok };
      }
      case 'audit': {
        const notified = effect.withNotified && flow.notified;
        await this.deps.audit.append({
          ...effect.record,
          id: queued.id,
          ...(notified
            ? {
                notified: {
                  email: notified.email === true,
                  ...(notified.sms !== undefined ? { sms: notified.sms === true } : {}),
                  ...(notified.expectRevoke ? { signedOut: notified.revoke === true } : {}),
                },
              }
            : {}),
        });
        return undefined;
      }
      case 'event': {
        const record = {
          name: effect.name,
          flowId: flow.id,
          oid: flow.user.oid,
          channel: flow.chat.channelId,
          at: effect.at,
          detail: effect.detail,
        };
        this.deps.logger.info({ flowEvent: effect.name, flowId: flow.id, detail: effect.detail }, 'flow event');
        for (const listener of this.deps.listeners)
          await Promise.resolve(listener(record)).catch((err) =>
            this.deps.logger.warn({ err, flowEvent: effect.name }, 'a flow event listener failed'),
          );
        return undefined;
      }
      case 'forget':
        return undefined; // the runner replaces the record with its tombstone in the same commit
    }
  }

  /** Every change teaches the shared-number index: the new number is the user's, the replaced one no longer. */
  private async rememberHolder(flow: Flow): Promise<void> {
    const request = flow.request;
    if (!request || request.kind === 'setDefault' || !TEXTABLE.includes(request.type)) return;
    try {
      const old = flow.plan?.before.phones[request.type];
      if (old) await this.deps.numbers.release(flow.user.oid, e164Of(old));
      if (request.kind === 'setPhone' && flow.number) await this.deps.numbers.hold(flow.user.oid, flow.number.e164);
    } catch (err) {
      // The next security-info read learns it anyway; the change itself is done and must be reported.
      this.deps.logger.warn({ err, flowId: flow.id }, 'could not update the shared-number index');
    }
  }

  /**
   * The provider request a notice repeats: its first send's id while ACS can still recognise it (Repeatability-First-
   * Sent within 5 minutes), so a copy ACS already accepted is not sent twice; after that a new one — a notice whose
   * earlier try ACS accepted without answering could then arrive twice (docs/exactly-once.md says so).
   */
  /**
   * The request ids earlier tries of this notice were sent under, newest first — when this try needs a new one (past
   * the window). Each new id extends the one before ("id#3#7"), so the chain names every earlier id.
   */
  private earlierRequestIds(
    queued: QueuedEffect,
    effect: Extract<Effect, { kind: 'notifyEmail' | 'notifySms' }>,
    current: string,
  ): string[] {
    const base = effect.requestId ?? queued.id;
    if (current === base) return [];
    const parts = base.split('#');
    return parts.map((_, i) => parts.slice(0, parts.length - i).join('#')).slice(0, 12);
  }

  private repeatable(
    queued: QueuedEffect,
    effect: Extract<Effect, { kind: 'notifyEmail' | 'notifySms' }>,
  ): { requestId: string; firstSentAt: number } {
    const requestId = effect.requestId ?? queued.id;
    const firstSentAt = effect.firstSentAt ?? effect.at;
    const now = (this.deps.now ?? Date.now)();
    if (now - firstSentAt < ACS_REPEATABILITY_MS) return { requestId, firstSentAt };
    return { requestId: `${requestId}#${effect.attempt ?? 1}`, firstSentAt: now };
  }
}
