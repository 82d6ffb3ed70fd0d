// Reaching a person in their own 1:1 chat with the bot when they never wrote to it: the bot installed for them through
// Graph (TeamsAppInstallation.ReadWriteSelfForUser.All; 'blocked' when the Teams app permission policy forbids it),
// the installation's chat, and a conversation reference for it — the one seen from them when the chat is known, else
// the helpdesk's own service URL and bot (same tenant). Handoffs and reminders use it.
import type { ConversationReference } from 'botbuilder';
import type { DirectoryPerson, HelpdeskGraph, InstallOutcome } from './helpdesk-graph.js';

export type Reached =
  /** `installed`: what was done to reach them ('slack-dm': their Slack DM; 'seen-chat': the Teams chat they used). */
  | { ok: true; reference: Partial<ConversationReference>; installed: InstallOutcome | 'slack-dm' | 'seen-chat' }
  | { ok: false; why: 'not-configured' | 'blocked' | 'no-chat' };

export function chatReference(
  person: DirectoryPerson,
  chatId: string,
  from: Partial<ConversationReference>,
  seen?: Partial<ConversationReference>,
): Partial<ConversationReference> {
  if (seen?.conversation?.id === chatId) return seen;
  return {
    channelId: from.channelId ?? 'msteams',
    serviceUrl: seen?.serviceUrl ?? from.serviceUrl,
    bot: from.bot,
    user: { id: seen?.user?.id ?? '', name: person.name, aadObjectId: person.oid } as ConversationReference['user'],
    conversation: {
      id: chatId,
      conversationType: 'personal',
      isGroup: false,
      tenantId: from.conversation?.tenantId,
    } as ConversationReference['conversation'],
  };
}

/** Installs the bot for `person` if needed and resolves their 1:1 chat with it. */
export async function reachPerson(
  graph: Pick<HelpdeskGraph, 'canInstall' | 'install' | 'personalChatId'>,
  person: DirectoryPerson,
  from: Partial<ConversationReference>,
  seen?: Partial<ConversationReference>,
): Promise<Reached> {
  if (!graph.canInstall) return { ok: false, why: 'not-configured' };
  const installed = await graph.install(person.oid);
  if (installed === 'blocked') return { ok: false, why: 'blocked' };
  const chatId = await graph.personalChatId(person.oid);
  if (!chatId) return { ok: false, why: 'no-chat' };
  return { ok: true, installed, reference: chatReference(person, chatId, from, seen) };
}
