// Asking for a Temporary Access Pass from Slack, on the same service as Teams (helpdesk/passes.ts): "tap <e-mail or
// name>" in an agent's DM → their own sign-in with the helpdesk's stronger auth context → the person's checks
// (privileged roles refused) → "Record what you checked" opens a modal (what was checked, in their words, "I checked
// this myself", and how the person will prove it's them) → the person's verification → a second agent's Approve in
// SLACK_HELPDESK_CHANNEL where policy asks for one (that agent signs in the same way, in their DM) → the pass to the
// PERSON. A pass is never shown to an agent in Slack (the weaker attestation-only mode withdraws it, fail closed).

import type { webApi } from '@slack/bolt';
import { z } from 'zod';
import { carriedWish } from '../../flow/flow.js';
import { isHelpdeskGrant } from '../../helpdesk/agent-grant.js';
import type { HelpdeskGraph } from '../../helpdesk/helpdesk-graph.js';
import { PASS_REFUSALS, type PassResult } from '../../helpdesk/pass-types.js';
import { ATTESTATION_METHODS, type PassService, type PERSON_WAYS } from '../../helpdesk/passes.js';
import { type Lang, type MessageKey, t } from '../../i18n/i18n.js';
import { sameOid } from '../../identity/same-oid.js';
import type { Grant, StepUpService } from '../../identity/step-up-service.js';
import type { Logger } from '../../logging.js';
import { actions, button, header, section } from './blocks.js';
import { slackReference } from './slack-helpdesk-views.js';
import { type SlackAddress, slackChatOf } from './slack-presenter.js';
import { type SlackAgentDeps, type SlackSignIn, type SlackTalk, slackAgent, uuidOf } from './slack-talk.js';

export const TAP_MODAL = 'proofup.tapAttest';

export interface SlackPassesDeps extends SlackAgentDeps {
  passes: Pick<PassService, 'prepare' | 'attest' | 'get' | 'personWays' | 'approve'>;
  graph: Pick<HelpdeskGraph, 'findPeople'>;
  stepUp: Pick<StepUpService, 'grant'>;
  client: webApi.WebClient;
  /** HELPDESK_AUTH_CONTEXT: the agent's stronger sign-in a pass needs (unset: passes are off). */
  authContext?: string;
  logger: Logger;
}

const contextSchema = z.object({
  requestId: z.string().uuid(),
  team: z.string().min(1).max(40),
  user: z.string().min(1).max(40),
  channel: z.string().min(1).max(40),
  lang: z.string().optional(),
});

const METHOD_LABELS: Record<(typeof ATTESTATION_METHODS)[number], MessageKey> = {
  video: 'card.tapAttest.methodVideo',
  person: 'card.tapAttest.methodPerson',
  manager: 'card.tapAttest.methodManager',
};
const WAY_LABELS: Record<(typeof PERSON_WAYS)[number], MessageKey> = {
  'step-up': 'card.tapAttest.wayStepUp',
  'verified-id': 'card.tapAttest.wayVerifiedId',
  manager: 'card.tapAttest.wayManager',
};

export class SlackPasses {
  constructor(
    private readonly deps: SlackPassesDeps,
    private readonly talk: SlackTalk,
    private readonly signIn: SlackSignIn,
  ) {}

  /** "tap <who>" typed by an agent in their DM. */
  async request(dm: SlackAddress, query: string, lang: Lang): Promise<void> {
    if (!this.deps.authContext) return this.talk.say(dm, t(lang, 'chat.tap.notConfigured'));
    const binding = await this.deps.bindings.get(dm.team, dm.user);
    if (binding && !(await slackAgent(this.deps, this.talk, dm, lang, 'tapIssued'))) return;
    const grant = await this.strongGrant(dm);
    if (!grant) {
      await this.talk.say(dm, t(lang, 'chat.tap.verifyFirst'));
      return this.signIn(dm, { lang, helpdesk: { action: 'tap', query, authContext: this.deps.authContext } }, lang);
    }
    return this.prepare(dm, grant, query, lang);
  }

  /** The agent's strong sign-in is done: check the person, then the attestation. */
  async afterSignIn(dm: SlackAddress, grant: Grant, lang: Lang): Promise<void> {
    if (!this.deps.authContext || !isHelpdeskGrant(grant.oid, grant, this.deps.authContext)) return;
    if (!(await slackAgent(this.deps, this.talk, dm, lang, 'tapIssued'))) return;
    return this.prepare(dm, grant, carriedWish(grant)?.helpdesk?.query ?? '', lang);
  }

  /**
   * "Approve" on the approval in the helpdesk channel: neither the asking agent nor the person it is for; an agent
   * through their linked Entra account, with their own strong sign-in (sent to their DM when none holds). What is said
   * in the channel is ephemeral.
   */
  async approve(at: SlackAddress, data: Record<string, unknown>, lang: Lang): Promise<void> {
    const id = uuidOf(data.requestId);
    const request = id ? await this.deps.passes.get(id) : undefined;
    if (!id || !request) return this.talk.whisper(at, t(lang, PASS_REFUSALS.unknown));
    const binding = await this.deps.bindings.get(at.team, at.user);
    if (binding && sameOid(request.agent.oid, binding.oid))
      return this.talk.whisper(at, t(lang, PASS_REFUSALS['own-request']));
    if (binding && sameOid(request.user.oid, binding.oid)) return this.talk.whisper(at, t(lang, PASS_REFUSALS.subject));
    if (request.state !== 'awaiting-approval') return this.talk.whisper(at, t(lang, PASS_REFUSALS.closed));
    if (!this.deps.authContext) return this.talk.whisper(at, t(lang, 'chat.tap.notConfigured'));
    const dm = await this.talk.dmOf(at);
    if (!dm) return;
    if (binding && !(await slackAgent(this.deps, this.talk, dm, lang, 'tapIssued'))) return;
    const grant = await this.strongGrant(dm);
    if (grant) return this.approveAs(dm, grant, id, lang);
    await this.signIn(
      dm,
      { lang, helpdesk: { action: 'tapApprove', query: id, authContext: this.deps.authContext } },
      lang,
    );
    await this.talk.whisper(at, t(lang, 'slack.helpdesk.signInSent'));
  }

  /** The approving agent's strong sign-in is done (it may have linked them on the way): approve as that account. */
  async afterApproveSignIn(dm: SlackAddress, grant: Grant, lang: Lang): Promise<void> {
    const id = uuidOf(carriedWish(grant)?.helpdesk?.query);
    if (!id || !this.deps.authContext || !isHelpdeskGrant(grant.oid, grant, this.deps.authContext)) return;
    if (!(await slackAgent(this.deps, this.talk, dm, lang, 'tapIssued'))) return;
    return this.approveAs(dm, grant, id, lang);
  }

  /** The service checks again (the asker, the person, the state) and issues; the channel's message then changes. */
  private async approveAs(dm: SlackAddress, grant: Grant, id: string, lang: Lang): Promise<void> {
    const result = await this.deps.passes.approve(id, { oid: grant.oid, name: grant.name || grant.upn });
    if (!result.ok)
      return this.talk.say(dm, t(lang, PASS_REFUSALS[result.why], { name: result.request?.user.name ?? '' }));
    await this.talk.say(dm, t(lang, 'slack.tap.approved', { name: result.request.user.name }));
  }

  /** "Record what you checked": the attestation modal (within the press's 3-second trigger). */
  async openAttestation(dm: SlackAddress, data: Record<string, unknown>, lang: Lang, triggerId?: string) {
    const id = uuidOf(data.requestId);
    const request = id ? await this.deps.passes.get(id) : undefined;
    if (!id || !request || !triggerId) return this.talk.say(dm, t(lang, PASS_REFUSALS.unknown));
    if (request.state !== 'attesting') return this.talk.say(dm, t(lang, PASS_REFUSALS.closed));
    await this.deps.client.views.open({ trigger_id: triggerId, view: this.modal(id, dm, lang) });
  }

  /**
   * The modal submitted: a missing answer keeps it open with the error (Slack's response_action: errors); else the
   * attestation is recorded by the agent's linked Entra account, while their strong sign-in still holds.
   */
  submitted(metadata: string, values: unknown, submitter: { team: string; user: string }) {
    const parsed = contextSchema.safeParse(safeJson(metadata));
    if (!parsed.success || parsed.data.user !== submitter.user || parsed.data.team !== submitter.team) return undefined;
    const ctx = parsed.data;
    const lang = (ctx.lang ?? 'en') as Lang;
    const state = values as Record<string, Record<string, Record<string, unknown>>>;
    const picked = (block: string) =>
      (state?.[block]?.[block]?.selected_option as { value?: string } | undefined)?.value ?? '';
    const method = picked('method');
    const note = String(state?.note?.note?.value ?? '').trim();
    const checked = ((state?.confirm?.confirm?.selected_options as unknown[]) ?? []).length > 0;
    const way = picked('way') || undefined;
    const errors: Record<string, string> = {};
    if (!(ATTESTATION_METHODS as readonly string[]).includes(method)) errors.method = t(lang, 'card.tapAttest.method');
    if (note.length < 3) errors.note = t(lang, 'card.tapAttest.noteMissing');
    if (!checked) errors.confirm = t(lang, 'card.tapAttest.confirmMissing');
    if (Object.keys(errors).length) return { errors };
    const dm = { team: ctx.team, user: ctx.user, channel: ctx.channel };
    return {
      run: async () => {
        const grant = await this.strongGrant(dm);
        if (!grant) return this.talk.say(dm, t(lang, 'chat.tap.verifyFirst'));
        const result = await this.deps.passes.attest(
          ctx.requestId,
          grant.oid,
          { method: method as (typeof ATTESTATION_METHODS)[number], note: note.slice(0, 200) },
          way as (typeof PERSON_WAYS)[number] | undefined,
        );
        await this.tell(dm, lang, result);
      },
    };
  }

  private async prepare(dm: SlackAddress, grant: Grant, query: string, lang: Lang): Promise<void> {
    try {
      const people = await this.deps.graph.findPeople(query);
      if (people.length !== 1) {
        const names = people.map((p) => `${p.name} (${p.upn})`).join(', ');
        const key = people.length ? 'chat.handoff.manyMatches' : 'chat.handoff.noMatch';
        return this.talk.say(dm, t(lang, key, { query, names }));
      }
      const user = people[0] as (typeof people)[number];
      const result = await this.deps.passes.prepare({
        agent: { oid: grant.oid, name: grant.name || grant.upn, lang },
        agentRef: slackReference(dm),
        user,
      });
      if (!result.ok)
        return this.talk.say(
          dm,
          t(lang, PASS_REFUSALS[result.why], { name: user.name, roles: (result.roles ?? []).join(', ') }),
        );
      const title = t(lang, 'card.tapAttest.title', { name: `${user.name} (${user.upn})` });
      await this.talk.post(dm, {
        text: title,
        blocks: [
          header(title),
          section(t(lang, 'card.tapAttest.body')),
          actions('attest', [
            button(
              t(lang, 'card.tapAttest.issue'),
              { action: 'slack.tapAttest', requestId: result.request.id, lang },
              'primary',
            ),
          ]),
        ],
      });
    } catch (err) {
      this.deps.logger.error({ err }, 'pass request failed');
      await this.talk.say(dm, t(lang, 'chat.tap.failed'));
    }
  }

  private async tell(dm: SlackAddress, lang: Lang, result: PassResult): Promise<void> {
    if (!result.ok)
      return this.talk.say(dm, t(lang, PASS_REFUSALS[result.why], { name: result.request?.user.name ?? '' }));
    const name = result.request.user.name;
    if (result.next === 'approval') return this.talk.say(dm, t(lang, 'chat.tap.awaitingApproval'));
    if (result.next !== 'verifying') return;
    if (result.request.verifyWay === 'manager')
      return this.talk.say(dm, t(lang, 'chat.tap.managerAsked', { name, manager: result.request.manager?.name ?? '' }));
    if (result.link) return this.talk.say(dm, t(lang, 'chat.tap.verifiedIdLink', { name, link: result.link }));
    await this.talk.say(dm, t(lang, 'chat.tap.verificationSent', { name }));
  }

  private async strongGrant(dm: SlackAddress): Promise<Grant | undefined> {
    const binding = await this.deps.bindings.get(dm.team, dm.user);
    const grant = await this.deps.stepUp.grant(slackChatOf(dm));
    return binding && isHelpdeskGrant(binding.oid, grant, this.deps.authContext) ? grant : undefined;
  }

  private modal(requestId: string, dm: SlackAddress, lang: Lang) {
    const text = (value: string, max = 150) => ({ type: 'plain_text' as const, text: value.slice(0, max) });
    const option = (value: string, key: MessageKey) => ({ text: text(t(lang, key), 75), value });
    const ways = this.deps.passes.personWays;
    return {
      type: 'modal' as const,
      callback_id: TAP_MODAL,
      private_metadata: JSON.stringify({ requestId, ...dm, lang }),
      title: text(t(lang, 'slack.modal.tapTitle'), 24),
      submit: text(t(lang, 'card.tapAttest.issue'), 24),
      close: text(t(lang, 'common.cancel'), 24),
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: t(lang, 'card.tapAttest.body') } },
        {
          type: 'input',
          block_id: 'method',
          label: text(t(lang, 'card.tapAttest.method')),
          element: {
            type: 'radio_buttons',
            action_id: 'method',
            options: ATTESTATION_METHODS.map((m) => option(m, METHOD_LABELS[m])),
          },
        },
        {
          type: 'input',
          block_id: 'note',
          label: text(t(lang, 'card.tapAttest.note')),
          element: { type: 'plain_text_input', action_id: 'note', min_length: 3, max_length: 200 },
        },
        ...(ways.length > 1
          ? [
              {
                type: 'input',
                block_id: 'way',
                label: text(t(lang, 'card.tapAttest.way')),
                element: {
                  type: 'radio_buttons',
                  action_id: 'way',
                  initial_option: option(ways[0] as string, WAY_LABELS[ways[0] as (typeof PERSON_WAYS)[number]]),
                  options: ways.map((w) => option(w, WAY_LABELS[w])),
                },
              },
            ]
          : []),
        {
          type: 'input',
          block_id: 'confirm',
          label: text(t(lang, 'card.tapAttest.confirm')),
          element: {
            type: 'checkboxes',
            action_id: 'confirm',
            options: [option('yes', 'card.tapAttest.confirm')],
          },
        },
      ],
    };
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
