// Who may act as the helpdesk: members of the helpdesk group (Graph, fail closed), each action after the agent's OWN
// sign-in made for a helpdesk action in this chat — and, for a Temporary Access Pass, with the stronger auth context.
import { randomUUID } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import type { AuditLog, AuditRecord } from '../audit/audit-log.js';
import type { ConversationGateway } from '../channels/teams/conversation-gateway.js';
import type { HelpdeskMembers } from '../helpdesk/escalations.js';
import type { HandoffService } from '../helpdesk/handoffs.js';
import { type Lang, t } from '../i18n/i18n.js';
import type { Grant, StepUpService } from '../identity/step-up-service.js';
import type { Logger } from '../logging.js';

export { isHelpdeskGrant } from '../helpdesk/agent-grant.js';

export interface HelpdeskAccessDeps {
  members: HelpdeskMembers;
  audit: AuditLog;
  logger: Logger;
}

/** Members of the helpdesk group only; anyone else is told politely and the refusal is audited. */
export async function requireAgent(
  deps: HelpdeskAccessDeps,
  context: TurnContext,
  lang: Lang,
  action: AuditRecord['action'],
): Promise<boolean> {
  const from = context.activity.from;
  if (await deps.members.isAgent(from.aadObjectId)) return true;
  await deps.audit.append({
    id: randomUUID(),
    at: new Date().toISOString(),
    flowId: '',
    actorOid: from.aadObjectId ?? '',
    channel: context.activity.channelId,
    action,
    steps: [],
    result: 'refused',
    reason: 'not-helpdesk',
  });
  await context.sendActivity(t(lang, 'chat.handoff.notAgent'));
  return false;
}

/** A person's own 1:1 chat with the bot, reached from elsewhere (a button pressed in the helpdesk channel). */
export interface PersonalChats {
  /** The live grant in that chat, if any. */
  grantOf(oid: string): Promise<Grant | undefined>;
  /** Runs `work` in that chat (e.g. sends a sign-in there); false when the bot has never seen that chat. */
  run(oid: string, work: (context: TurnContext) => Promise<void>): Promise<boolean>;
}

/** Each agent's Teams 1:1 chat as last seen (the handoff service remembers it) and its live sign-in. */
export function teamsPersonalChats(
  chats: Pick<HandoffService, 'personalChatOf'>,
  stepUp: Pick<StepUpService, 'grant'>,
  gateway: Pick<ConversationGateway, 'run'>,
): PersonalChats {
  return {
    grantOf: async (oid) => {
      const chat = await chats.personalChatOf(oid);
      if (!chat?.conversation?.id || !chat.user?.id) return undefined;
      return stepUp.grant({
        channelId: chat.channelId ?? 'msteams',
        userId: chat.user.id,
        conversationId: chat.conversation.id,
      });
    },
    run: async (oid, work) => {
      const chat = await chats.personalChatOf(oid);
      if (!chat) return false;
      await gateway.run(chat, work);
      return true;
    },
  };
}
