// One helpdesk, two chats: the escalation cards and the handoff messages go through the presenter of the chat they
// live in — Slack for a Slack reference, Teams for any other. Slack's presenters exist only once Slack is on.
import type { ConversationReference } from 'botbuilder';
import type { HelpdeskChannel } from '../helpdesk/escalations.js';
import type { HandoffPresenter } from '../helpdesk/handoffs.js';

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
