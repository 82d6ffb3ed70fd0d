// The one way Proofup sends to a Teams (Bot Framework) conversation: inside or outside a turn, from this instance or
// after a restart, through the stored conversation reference.
import type { Activity, CloudAdapter, ConversationReference } from 'botbuilder';

export class ConversationGateway {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly botAppId: string,
  ) {}

  /** Posts a new message; resolves its id. */
  async send(reference: Partial<ConversationReference>, activity: Partial<Activity>): Promise<string | undefined> {
    let id: string | undefined;
    await this.adapter.continueConversationAsync(this.botAppId, reference, async (context) => {
      id = (await context.sendActivity(activity))?.id;
    });
    return id;
  }

  /** Replaces message `id` (Teams updateActivity). */
  async update(reference: Partial<ConversationReference>, id: string, activity: Partial<Activity>): Promise<void> {
    await this.adapter.continueConversationAsync(this.botAppId, reference, async (context) => {
      await context.updateActivity({ ...activity, id, type: 'message', conversation: context.activity.conversation });
    });
  }
}
