import type { AuditLog } from '../../audit/audit-log.js';
import type { HelpdeskWish } from '../../flow/flow.js';
import { carriedWish } from '../../flow/flow.js';
import { isHelpdeskGrant } from '../../helpdesk/agent-grant.js';
import { reasonKey } from '../../helpdesk/escalation-view.js';
import type { EscalationService } from '../../helpdesk/escalations.js';
import {
  answerRefusalKey,
  HANDOFF_REASONS,
  type HandoffReason,
  type HandoffService,
  handoffWish,
  startRefusalKey,
} from '../../helpdesk/handoffs.js';
import type { DirectoryPerson, HelpdeskGraph } from '../../helpdesk/helpdesk-graph.js';
import { type Lang, t } from '../../i18n/i18n.js';
import type { SlackBindings } from '../../identity/slack-bindings.js';
import type { Grant, StepUpService } from '../../identity/step-up-service.js';
import type { Logger } from '../../logging.js';
import { actions, button, section } from './blocks.js';
import { slackReference } from './slack-helpdesk-views.js';
import { type SlackAddress, slackChatOf } from './slack-presenter.js';
import { type SlackSignIn, type SlackTalk, slackAgent, uuidOf } from './slack-talk.js';

export interface SlackHandoffsDeps {
  stepUp: Pick<StepUpService, 'grant'>;
  escalations: Pick<EscalationService, 'get' | 'isAgent'>;
  handoffs: HandoffService;
  graph: Pick<HelpdeskGraph, 'findPeople'>;
  bindings: Pick<SlackBindings, 'get'>;
  audit: AuditLog;
  helpdeskContact: string;
  logger: Logger;
}

/** The Slack-only button of the agent's DM: hand the person to the bot for this reason. */
export const HAND_OVER = 'slack.handoff';

const isReason = (value: unknown): value is HandoffReason => (HANDOFF_REASONS as readonly unknown[]).includes(value);

export class SlackHandoffs {
  constructor(
    private readonly deps: SlackHandoffsDeps,
    private readonly talk: SlackTalk,
    private readonly signIn: SlackSignIn,
  ) {}

  /** "Hand to the bot" (on the channel card or in the agent's DM): the reasons, as buttons in the agent's DM. */
  async chooseReason(at: SlackAddress, data: Record<string, unknown>, lang: Lang): Promise<void> {
    const id = uuidOf(data.escalationId);
    const escalation = id ? await this.deps.escalations.get(id) : undefined;
    if (!id || !escalation) return this.talk.whisper(at, t(lang, 'chat.escalationUnknown'));
    const binding = await this.deps.bindings.get(at.team, at.user);
    if (!binding || !(await this.deps.escalations.isAgent(binding.oid)))
      return this.talk.whisper(at, t(lang, 'chat.takeRefused'));
    const name = escalation.requester.name;
    if (!escalation.requester.oid) return this.talk.whisper(at, t(lang, 'slack.handoff.unlinkedRequester', { name }));
    const dm = await this.talk.dmOf(at);
    if (!dm) return;
    const reason = (r: HandoffReason) =>
      button(t(lang, 'handoff.reason', { reason: reasonKey(r) }), {
        action: HAND_OVER,
        escalationId: id,
        reason: r,
        lang,
      });
    await this.talk.post(dm, {
      text: t(lang, 'slack.handoff.why', { name }),
      blocks: [section(t(lang, 'slack.handoff.why', { name })), actions('handoff', HANDOFF_REASONS.map(reason))],
    });
    if (dm.channel !== at.channel) await this.talk.whisper(at, t(lang, 'slack.helpdesk.sentToDm', { name }));
  }

  /** A reason pressed in the agent's DM: their own helpdesk sign-in first, then the invitation. */
  async handOver(dm: SlackAddress, data: Record<string, unknown>, lang: Lang): Promise<void> {
    const id = uuidOf(data.escalationId);
    const escalation = id ? await this.deps.escalations.get(id) : undefined;
    if (!escalation || !isReason(data.reason)) return this.talk.say(dm, t(lang, 'chat.escalationUnknown'));
    const person = escalation.requester;
    if (!person.oid) return this.talk.say(dm, t(lang, 'slack.handoff.unlinkedRequester', { name: person.name }));
    const binding = await this.deps.bindings.get(dm.team, dm.user);
    if (!binding || !(await this.deps.escalations.isAgent(binding.oid)))
      return this.talk.say(dm, t(lang, 'chat.handoff.notAgent'));
    const grant = await this.deps.stepUp.grant(slackChatOf(dm));
    if (!isHelpdeskGrant(binding.oid, grant)) {
      await this.talk.say(dm, t(lang, 'chat.handoff.verifyFirst'));
      return this.signIn(dm, { lang, helpdesk: { action: 'handoff', userOid: person.oid, reason: data.reason } }, lang);
    }
    await this.proceed(dm, grant, { action: 'handoff', userOid: person.oid, reason: data.reason }, lang);
  }

  /** "help adelev@contoso.com" / "help Adele Vance" typed by an agent in their DM. */
  async byName(dm: SlackAddress, query: string, lang: Lang): Promise<void> {
    // A Slack user not linked yet signs in first (it links them); membership is checked after it.
    const binding = await this.deps.bindings.get(dm.team, dm.user);
    if (binding && !(await this.agent(dm, lang))) return;
    const ask: HelpdeskWish = { action: 'handoff', query, reason: 'new-number' };
    const grant = await this.deps.stepUp.grant(slackChatOf(dm));
    if (!binding || !isHelpdeskGrant(binding.oid, grant)) {
      await this.talk.say(dm, t(lang, 'chat.handoff.verifyFirst'));
      return this.signIn(dm, { lang, helpdesk: ask }, lang);
    }
    await this.proceed(dm, grant, ask, lang);
  }

  /** "hand off" alone: how to (Slack has no people picker in a message). Agents only. */
  async how(dm: SlackAddress, lang: Lang): Promise<void> {
    if (await this.agent(dm, lang)) await this.talk.say(dm, t(lang, 'slack.handoff.how'));
  }

  private agent(dm: SlackAddress, lang: Lang) {
    return slackAgent(this.deps, this.talk, dm, lang, 'handoffStarted');
  }

  /** The agent's own sign-in for a handoff is done: find the person if they were named, then invite them. */
  async afterSignIn(dm: SlackAddress, grant: Grant, lang: Lang): Promise<void> {
    const ask = carriedWish(grant)?.helpdesk;
    if (ask?.action === 'handoff') await this.proceed(dm, grant, ask, lang);
  }

  /** With the agent's live helpdesk sign-in: find the person if they were named, then invite them. */
  private async proceed(dm: SlackAddress, grant: Grant, ask: HelpdeskWish, lang: Lang): Promise<void> {
    if (!(await this.agent(dm, lang))) return;
    const reason = isReason(ask.reason) ? ask.reason : 'new-number';
    if (ask.userOid) return this.startHandoff(dm, grant, { oid: ask.userOid, name: '' }, reason, lang);
    const query = (ask.query ?? '').trim();
    try {
      const people = await this.deps.graph.findPeople(query);
      if (people.length === 0) return this.talk.say(dm, t(lang, 'chat.handoff.noMatch', { query }));
      if (people.length > 1) {
        const names = people.map((p) => `${p.name} (${p.upn})`).join(', ');
        return this.talk.say(dm, t(lang, 'chat.handoff.manyMatches', { query, names }));
      }
      await this.startHandoff(dm, grant, people[0] as DirectoryPerson, reason, lang);
    } catch (err) {
      this.deps.logger.error({ err }, 'handoff could not be started');
      await this.talk.say(dm, t(lang, 'chat.handoff.failed'));
    }
  }

  private async startHandoff(
    dm: SlackAddress,
    grant: Grant,
    person: { oid: string; name: string },
    reason: HandoffReason,
    lang: Lang,
  ) {
    try {
      const result = await this.deps.handoffs.start({
        agent: { oid: grant.oid, name: grant.name || grant.upn, lang },
        agentRef: slackReference(dm),
        userOid: person.oid,
        reason,
      });
      if (result.ok) return; // the status message in this DM says what happens next
      const name = result.person?.name ?? person.name;
      await this.talk.say(dm, t(lang, startRefusalKey(result.why), { name, query: name }));
    } catch (err) {
      this.deps.logger.error({ err }, 'handoff could not be started');
      await this.talk.say(dm, t(lang, 'chat.handoff.failed'));
    }
  }

  /** The person's Start / "I didn't ask for this" on the invitation in their DM. */
  async answer(dm: SlackAddress, data: Record<string, unknown>, how: 'open' | 'decline', lang: Lang) {
    const id = uuidOf(data.handoffId);
    const binding = await this.deps.bindings.get(dm.team, dm.user);
    const result = id ? await this.deps.handoffs[how](id, binding?.oid) : ({ ok: false, why: 'unknown' } as const);
    if (!result.ok) return this.talk.say(dm, t(lang, answerRefusalKey(result.why)));
    if (how === 'decline')
      return this.talk.say(dm, t(lang, 'chat.handoff.declined', { helpdesk: this.deps.helpdeskContact }));
    await this.signIn(dm, handoffWish(result.handoff.reason, lang), lang);
  }
}
