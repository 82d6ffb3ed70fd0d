// The one way Proofup sends to a Teams (Bot Framework) conversation. Inside a turn of that same conversation it uses
// the turn's own context (its connector client and token are already there); outside a turn — the sweep, a resume
// after a restart, a browser callback — it continues the conversation from the stored reference.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Activity, CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';

const currentTurn = new AsyncLocalStorage<TurnContext>();

/** Runs `work` with `context` as the current turn for sends to its conversation. */
export function withinTurn<T>(context: TurnContext, work: () => Promise<T>): Promise<T> {
  return currentTurn.run(context, work);
}

export class ConversationGateway {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly botAppId: string,
  ) {}

  /** Posts a new message; resolves its id. */
  async send(reference: Partial<ConversationReference>, activity: Partial<Activity>): Promise<string | undefined> {
    let id: string | undefined;
    await this.within(reference, async (context) => {
      id = (await context.sendActivity(activity))?.id;
    });
    return id;
  }

  /** Replaces message `id` (Teams updateActivity). */
  async update(reference: Partial<ConversationReference>, id: string, activity: Partial<Activity>): Promise<void> {
    await this.within(reference, async (context) => {
      await context.updateActivity({ ...activity, id, type: 'message', conversation: context.activity.conversation });
    });
  }

  /** Runs `work` with a turn context of that conversation (the current turn's, or a continued one). */
  run(reference: Partial<ConversationReference>, work: (c: TurnContext) => Promise<void>): Promise<void> {
    return this.within(reference, work);
  }

  /**
   * Outside a turn, botbuilder hands an error of `work` (a Bot Connector that refused or timed out) to onTurnError
   * and resolves as if all went well. Caught here and thrown to the caller instead: a message counts as delivered
   * only when the connector accepted it, so the runner keeps it and tries again.
   */
  private async within(reference: Partial<ConversationReference>, work: (c: TurnContext) => Promise<void>) {
    const turn = currentTurn.getStore();
    if (turn && turn.activity.conversation?.id === reference.conversation?.id) return work(turn);
    let failure: { error: unknown } | undefined;
    await this.adapter.continueConversationAsync(this.botAppId, reference, async (context) => {
      try {
        await work(context);
      } catch (error) {
        failure = { error };
      }
    });
    if (failure) throw failure.error;
  }
}
