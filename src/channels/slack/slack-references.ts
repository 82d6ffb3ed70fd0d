// A Slack conversation as the shared helpdesk services keep it (a botbuilder-shaped reference with channelId 'slack'),
// and back: the channel id to post in.
import type { ConversationReference } from 'botbuilder';

/** The Slack channel (or DM) a reference names; throws for anything else (a Teams reference never reaches Slack). */
export function slackChannelOf(reference: Partial<ConversationReference> | undefined): string {
  const channel = reference?.conversation?.id;
  if (reference?.channelId !== 'slack' || !channel) throw new Error('not a Slack conversation');
  return channel;
}
