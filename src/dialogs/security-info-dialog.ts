// After the step-up: show the security info, take one change (new number → code to that number → confirm; remove a
// phone; default method), apply it with the executor, notify independently, audit. The Graph target is the grant's
// oid, never anything from a card. Every submit must carry the current flow id.
import { createHash, randomUUID } from 'node:crypto';
import { type Activity, type ConversationReference, MessageFactory, TurnContext } from 'botbuilder';
import { parsePhoneNumberWithError } from 'libphonenumber-js/max';
import type { AuditLog } from '../audit/audit-log.js';
import type { CardBuilder } from '../cards/card-builder.js';
import { DEFAULT_METHODS, type DefaultMethod, PHONE_TYPES, type SecurityInfo } from '../graph/auth-methods.js';
import type { AuthMethodsClient } from '../graph/auth-methods-client.js';
import type { PlanExecutor } from '../graph/plan-executor.js';
import { type ChangeRequest, planChange, REFUSAL_MESSAGES } from '../graph/planner.js';
import type { Grant, StepUpService } from '../identity/step-up-service.js';
import type { Logger } from '../logging.js';
import { maskPhone } from '../mask.js';
import type { ChangeNotifier } from '../notify/change-notifier.js';
import { parsePhone } from '../phone/phone-number.js';
import type { OneTimeCodes } from '../possession/one-time-codes.js';
import { RecordStore, updateWithRetry } from '../storage/records.js';
import { applyChange } from './apply-change.js';
import { auditRecordFor, type ChangeFlow, e164Of } from './change-flow.js';
import { confirmView, type NumberForm, phoneEntryView, securityInfoView } from './security-info-views.js';
import { chatBinding } from './step-up-dialog.js';

export const IDLE_LIMIT_MS = 15 * 60_000;
const EXPIRED_MESSAGE =
  'This change expired after 15 minutes without activity. Nothing was changed. Say "change my MFA phone" to start again.';

interface ActiveFlow {
  reference: Partial<ConversationReference>;
  channelId: string;
  updatedAt: number;
}

export interface SecurityInfoDialogDeps {
  storage: ConstructorParameters<typeof RecordStore>[0];
  graph: AuthMethodsClient;
  executor: PlanExecutor;
  codes: OneTimeCodes;
  notifier: ChangeNotifier;
  audit: AuditLog;
  stepUp: StepUpService;
  cards: CardBuilder;
  logger: Logger;
  now?: () => number;
}

const flowKey = (a: Activity) =>
  createHash('sha256').update(`${a.channelId}\n${a.from.id}\n${a.conversation.id}`).digest('base64url');
const submitted = (a: Activity) => (a.value ?? {}) as Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : '');

export class SecurityInfoDialog {
  private readonly flows: RecordStore<ChangeFlow>;
  private readonly active: RecordStore<{ flows: Record<string, ActiveFlow> }>;
  private readonly now: () => number;

  constructor(private readonly deps: SecurityInfoDialogDeps) {
    this.flows = new RecordStore(deps.storage, 'flow');
    this.active = new RecordStore(deps.storage, 'flows');
    this.now = deps.now ?? Date.now;
  }

  /**
   * Ends flows idle for 15 minutes and says so in their chat (run every minute by the app). A flow that is applying
   * is never expired.
   */
  async sweepIdle(tell: (reference: Partial<ConversationReference>, text: string) => Promise<void>): Promise<number> {
    const index = (await this.active.get('index'))?.value.flows ?? {};
    let expired = 0;
    for (const [key, entry] of Object.entries(index)) {
      if (this.now() - entry.updatedAt <= IDLE_LIMIT_MS) continue;
      const flow = (await this.flows.get(key))?.value;
      if (flow?.stage === 'applying') continue;
      await this.flows.delete(key);
      await this.unlist(key);
      if (!flow) continue;
      await this.deps.codes.discard(flow.id);
      await this.deps.audit.append(auditRecordFor(entry.channelId, flow, 'expired', this.now()));
      await tell(entry.reference, EXPIRED_MESSAGE).catch((err) =>
        this.deps.logger.warn({ err }, 'could not tell the user a flow expired'),
      );
      expired++;
    }
    return expired;
  }

  /** Right after "Verified as …": the security-info card. */
  async start(context: TurnContext, grant: Grant): Promise<void> {
    const flow: ChangeFlow = { id: randomUUID(), oid: grant.oid, stage: 'menu', updatedAt: this.now() };
    await this.showMenu(context, flow);
  }

  async cancel(context: TurnContext): Promise<boolean> {
    const flow = (await this.flows.get(flowKey(context.activity)))?.value;
    if (!flow) return false;
    if (flow.stage === 'applying') {
      await context.sendActivity(
        'The change is being applied and can no longer be cancelled. I will tell you the result in a moment.',
      );
      return true;
    }
    await this.end(context, flow);
    await this.deps.audit.append(auditRecordFor(context.activity.channelId, flow, 'cancelled', this.now()));
    return false;
  }

  /** A card submit whose action starts with "sec.". */
  async onSubmit(context: TurnContext, action: string): Promise<void> {
    const flow = await this.current(context, str(submitted(context.activity).flowId));
    if (!flow) return;
    const grant = await this.requireGrant(context, flow);
    if (!grant) return;
    const value = submitted(context.activity);
    switch (action) {
      case 'sec.menu':
        return this.showMenu(context, { ...flow, stage: 'menu' });
      case 'sec.editPhone': {
        const type = PHONE_TYPES.find((t) => t === value.phoneType) ?? 'mobile';
        const form = { country: await this.defaultCountry(flow.oid), number: '', extension: '' };
        return this.askNumber(context, { ...flow, stage: 'number', phoneType: type, form });
      }
      case 'sec.removePhone': {
        const type = PHONE_TYPES.find((t) => t === value.phoneType) ?? 'mobile';
        return this.prepareConfirm(context, flow, { kind: 'removePhone', type });
      }
      case 'sec.setDefault': {
        const method = DEFAULT_METHODS.find((m) => m === value.defaultMethod) as DefaultMethod | undefined;
        if (!method) return this.showMenu(context, flow, 'Choose a default method first.');
        return this.prepareConfirm(context, flow, { kind: 'setDefault', method });
      }
      case 'sec.submitNumber':
        return this.onNumber(context, flow, {
          country: str(value.country),
          number: str(value.number),
          extension: str(value.extension),
        });
      case 'sec.submitCode':
        return this.onCode(context, flow, str(value.code));
      case 'sec.resendCode':
        return this.sendCode(context, flow);
      case 'sec.confirm':
        return this.apply(context, flow, grant);
      default:
        await context.sendActivity("I don't know that button. Nothing was changed.");
    }
  }

  /** Typed text while a flow is active: a 6-digit code at the code stage; otherwise a nudge to use the card. */
  async onText(context: TurnContext, text: string): Promise<boolean> {
    const found = await this.flows.get(flowKey(context.activity));
    if (!found) return false;
    const flow = found.value;
    if (this.expired(flow)) {
      await this.expire(context, flow);
      return true;
    }
    if (flow.stage === 'code' && /^\s*\d{6}\s*$/.test(text)) {
      await this.onCode(context, flow, text);
      return true;
    }
    if (/^\s*(start over|restart|menu|von vorn|empezar de nuevo|recommencer)\s*$/i.test(text)) {
      await this.showMenu(context, { ...flow, stage: 'menu' });
      return true;
    }
    return false;
  }

  private async onNumber(context: TurnContext, flow: ChangeFlow, form: NumberForm): Promise<void> {
    if (flow.stage !== 'number' || !flow.phoneType) return this.stale(context);
    const parsed = parsePhone({
      country: form.country,
      number: form.number,
      extension: form.extension,
      type: flow.phoneType,
    });
    if (!parsed.ok) return this.askNumber(context, { ...flow, form }, parsed.message);
    const request: ChangeRequest = { kind: 'setPhone', type: flow.phoneType, number: parsed.graph };
    const before = await this.deps.graph.securityInfo(flow.oid);
    const plan = planChange(before, request);
    if (!plan.ok) return this.askNumber(context, { ...flow, form }, REFUSAL_MESSAGES[plan.refusal]);
    if (flow.phoneType === 'office') {
      // Landlines cannot receive texts. Policy: an office phone must be a business phone the directory lists for the user.
      const listed = (await this.deps.graph.businessPhones(flow.oid)).map((p) => e164Of(p));
      if (!listed.includes(parsed.e164)) {
        return this.askNumber(
          context,
          { ...flow, form },
          'For an office phone I can only use a business phone your organisation lists for you. Ask the helpdesk to update your directory entry first.',
        );
      }
      return this.prepareConfirm(context, { ...flow, form }, request, before);
    }
    await this.sendCode(context, { ...flow, form, request, e164: parsed.e164, stage: 'code' });
  }

  private async sendCode(context: TurnContext, flow: ChangeFlow): Promise<void> {
    if (flow.stage !== 'code' || !flow.e164) return this.stale(context);
    const sent = await this.deps.codes.send(flow.id, flowKey(context.activity), flow.e164);
    if (!sent.ok) {
      const message =
        sent.reason === 'resend-limit'
          ? 'I have already sent 4 codes for this number. Check the number, or start over.'
          : "You've asked for too many codes in the last hour. Please try again later.";
      await this.save(context, flow);
      await context.sendActivity(message);
      return;
    }
    await this.save(context, flow);
    const card = this.deps.cards.build('code-entry', {
      flowId: flow.id,
      maskedNumber: maskPhone(flow.request?.kind === 'setPhone' ? flow.request.number : ''),
      error: '',
    });
    await context.sendActivity(MessageFactory.attachment(card));
  }

  private async onCode(context: TurnContext, flow: ChangeFlow, code: string): Promise<void> {
    if (flow.stage !== 'code' || !flow.request) return this.stale(context);
    const result = await this.deps.codes.verify(flow.id, code);
    if (result.ok) return this.prepareConfirm(context, flow, flow.request);
    if (result.reason === 'wrong') {
      await context.sendActivity(
        `That code doesn't match. ${result.triesLeft} ${result.triesLeft === 1 ? 'try' : 'tries'} left.`,
      );
      return;
    }
    const why = result.reason === 'expired' ? 'The code expired (codes last 10 minutes).' : 'Too many wrong codes.';
    await this.finish(context, flow, {
      ok: false,
      title: 'Number not confirmed',
      message: `${why} Nothing was changed. Say "change my MFA phone" to start again.`,
      detail: '',
    });
    await this.deps.audit.append(
      auditRecordFor(context.activity.channelId, flow, 'failed', this.now(), `code-${result.reason}`),
    );
  }

  /** `current`: security info already read in this turn (saves a second Graph call). */
  private async prepareConfirm(
    context: TurnContext,
    flow: ChangeFlow,
    request: ChangeRequest,
    current?: SecurityInfo,
  ): Promise<void> {
    const before = current ?? (await this.deps.graph.securityInfo(flow.oid));
    const plan = planChange(before, request);
    if (!plan.ok) {
      await this.deps.audit.append(
        auditRecordFor(context.activity.channelId, { ...flow, request }, 'refused', this.now(), plan.refusal),
      );
      return this.showMenu(context, { ...flow, stage: 'menu' }, REFUSAL_MESSAGES[plan.refusal]);
    }
    const card = this.deps.cards.build('confirm-change', confirmView(flow.id, request, before, plan));
    const sent = await context.sendActivity(MessageFactory.attachment(card));
    await this.save(context, { ...flow, stage: 'confirm', request, confirmActivityId: sent?.id });
  }

  private async apply(context: TurnContext, flow: ChangeFlow, grant: Grant): Promise<void> {
    const request = flow.request;
    if (flow.stage !== 'confirm' || !request) return this.stale(context);
    await this.save(context, { ...flow, stage: 'applying' });
    await context.sendActivity('Applying your change…');
    const outcome = await applyChange(this.deps, { ...flow, request }, grant, context.activity.channelId, this.now());
    await this.finish(context, flow, outcome.card);
    await this.deps.audit.append(outcome.audit);
  }

  // --- helpers -------------------------------------------------------------------------------------------------

  private async current(context: TurnContext, flowId: string): Promise<ChangeFlow | undefined> {
    const flow = (await this.flows.get(flowKey(context.activity)))?.value;
    if (!flow || flow.id !== flowId) {
      await this.stale(context);
      return undefined;
    }
    if (this.expired(flow)) {
      await this.expire(context, flow);
      return undefined;
    }
    return flow;
  }

  private async requireGrant(context: TurnContext, flow: ChangeFlow): Promise<Grant | undefined> {
    const grant = await this.deps.stepUp.grant(chatBinding(context.activity));
    if (grant && grant.oid === flow.oid) return grant;
    await this.end(context, flow);
    await context.sendActivity(
      MessageFactory.attachment(
        this.deps.cards.build('step-up-failed', {
          title: 'Please verify again',
          message: 'Your verification has expired (it lasts 10 minutes).',
        }),
      ),
    );
    return undefined;
  }

  private expired(flow: ChangeFlow): boolean {
    return flow.stage !== 'applying' && this.now() - flow.updatedAt > IDLE_LIMIT_MS;
  }

  private async expire(context: TurnContext, flow: ChangeFlow): Promise<void> {
    await this.end(context, flow);
    await this.deps.audit.append(auditRecordFor(context.activity.channelId, flow, 'expired', this.now()));
    await context.sendActivity(EXPIRED_MESSAGE);
  }

  private async stale(context: TurnContext): Promise<void> {
    await context.sendActivity(
      'That card belongs to an earlier or finished request, so I ignored it. Nothing was changed.',
    );
  }

  private async showMenu(context: TurnContext, flow: ChangeFlow, error?: string): Promise<void> {
    const info = await this.deps.graph.securityInfo(flow.oid);
    await this.save(context, { ...flow, stage: 'menu', request: undefined, e164: undefined, form: undefined });
    if (error) await context.sendActivity(error);
    await context.sendActivity(
      MessageFactory.attachment(this.deps.cards.build('security-info', securityInfoView(flow.id, info))),
    );
  }

  private async askNumber(context: TurnContext, flow: ChangeFlow, error = ''): Promise<void> {
    await this.save(context, { ...flow, stage: 'number' });
    const view = phoneEntryView(
      flow.id,
      flow.phoneType ?? 'mobile',
      flow.form ?? { country: 'US', number: '', extension: '' },
      error,
    );
    await context.sendActivity(MessageFactory.attachment(this.deps.cards.build('phone-entry', view)));
  }

  /** The result card REPLACES the confirm card, so no live button is left behind; the flow data is purged. */
  private async finish(
    context: TurnContext,
    flow: ChangeFlow,
    result: { ok: boolean; title: string; message: string; detail: string },
  ): Promise<void> {
    const card = MessageFactory.attachment(this.deps.cards.build('change-result', result));
    if (flow.confirmActivityId) {
      try {
        await context.updateActivity({ ...card, id: flow.confirmActivityId });
      } catch (err) {
        this.deps.logger.warn({ err }, 'could not replace the confirm card; sending the result as a new message');
        await context.sendActivity(card);
      }
    } else {
      await context.sendActivity(card);
    }
    await this.end(context, flow);
  }

  private async end(context: TurnContext, flow: ChangeFlow): Promise<void> {
    await this.flows.delete(flowKey(context.activity));
    await this.unlist(flowKey(context.activity));
    await this.deps.codes.discard(flow.id);
  }

  private async save(context: TurnContext, flow: ChangeFlow): Promise<void> {
    const key = flowKey(context.activity);
    const updatedAt = this.now();
    await this.flows.put(key, { ...flow, updatedAt });
    const reference = TurnContext.getConversationReference(context.activity);
    await updateWithRetry(this.active, 'index', (current) => ({
      flows: { ...(current?.flows ?? {}), [key]: { reference, channelId: context.activity.channelId, updatedAt } },
    }));
  }

  private async unlist(key: string): Promise<void> {
    await updateWithRetry(this.active, 'index', (current) => {
      const flows = { ...(current?.flows ?? {}) };
      delete flows[key];
      return { flows };
    });
  }

  private async defaultCountry(oid: string): Promise<string> {
    const info = await this.deps.graph.securityInfo(oid);
    const any = info.phones.mobile ?? info.phones.alternateMobile ?? info.phones.office;
    try {
      return (any && parsePhoneNumberWithError(any.replace(/x\d+$/, '')).country) || 'US';
    } catch {
      return 'US'; // an unparsable stored number only loses the pre-selected country
    }
  }
}

export type { SecurityInfo };
