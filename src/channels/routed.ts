// One helpdesk, two chats: the escalation cards and the handoff messages go through the presenter of the chat they
// live in — Slack for a Slack reference, Teams for any other. Slack's presenters exist only once Slack is on.
import type { ConversationReference } from 'botbuilder';
import type { CampaignPresenter } from '../helpdesk/campaigns.js';
import type { HelpdeskChannel } from '../helpdesk/escalations.js';
import type { HandoffPresenter } from '../helpdesk/handoffs.js';
import type { PassRequest } from '../helpdesk/pass-ledger.js';
import type { PassPresenter, PersonPassPresenter } from '../helpdesk/pass-types.js';

type Lazy<T> = () => T | undefined;

function pick<T>(reference: Partial<ConversationReference> | undefined, teams: T, slack: Lazy<T>): T {
  if (reference?.channelId !== 'slack') return teams;
  const presenter = slack();
  if (!presenter) throw new Error('a Slack conversation, but Slack is not on');
  return presenter;
}

export function helpdeskChannelByChat(teams: HelpdeskChannel, slack: Lazy<HelpdeskChannel>): HelpdeskChannel {
  return {
    post: (reference, escalation) => pick(reference, teams, slack).post(reference, escalation),
    update: (reference, messageId, escalation) =>
      pick(reference, teams, slack).update(reference, messageId, escalation),
  };
}

/** The agent's status by the agent's chat; the invitation by the person's. */
export function handoffPresenterByChat(teams: HandoffPresenter, slack: Lazy<HandoffPresenter>): HandoffPresenter {
  return {
    status: (handoff, messageId) => pick(handoff.agentRef, teams, slack).status(handoff, messageId),
    invite: (handoff) => pick(handoff.userRef, teams, slack).invite(handoff),
    closeInvite: (handoff) => pick(handoff.userRef, teams, slack).closeInvite(handoff),
  };
}

/**
 * A second agent's approval is asked in the helpdesk channel of the asking agent's chat; the person's (and their
 * manager's) side goes to the chat they are reached in, and the pass to whoever it is shown to.
 */
export function passPresenterByChat(teams: PassPresenter, slack: Lazy<PassPresenter>): PassPresenter {
  const viewer = (r: PassRequest) => (r.shownTo === 'person' && r.personRef ? r.personRef : r.agentRef);
  const at = (reference: Partial<ConversationReference> | undefined) =>
    pick<PersonPassPresenter>(reference, teams, slack);
  return {
    askApproval: (channel, r) => pick(channel, teams, slack).askApproval(channel, r),
    approved: (r) => pick(r.approvalPost?.reference, teams, slack).approved(r),
    showPass: (r, pass) => at(viewer(r)).showPass(r, pass),
    hidePass: (r) => at(viewer(r)).hidePass(r),
    tellAgent: (r, key, values) => at(r.agentRef).tellAgent(r, key, values),
    askPerson: (r) => at(r.personRef).askPerson(r),
    askManager: (r) => at(r.manager?.ref).askManager(r),
    tellPerson: (r, key) => at(r.personRef).tellPerson(r, key),
  };
}

/** Reminders go to the chat each person is reached in (and are looked for there); the campaign card to the agent's. */
export function campaignPresenterByChat(teams: CampaignPresenter, slack: Lazy<CampaignPresenter>): CampaignPresenter {
  return {
    reminder: (reference, campaign, person) => pick(reference, teams, slack).reminder(reference, campaign, person),
    card: (campaign) => pick(campaign.agentRef, teams, slack).card(campaign),
    delivered: async (reference, campaign, person) =>
      pick(reference, teams, slack).delivered?.(reference, campaign, person),
  };
}
