// The one exit for turn errors tells the truth about the chat's change: the chat's flow decides what is said ("your
// change is still being processed", "it is finished", "nothing was changed"); without a word from it, the reply
// claims nothing about a change.
import type { TurnContext } from 'botbuilder';
import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { createAdapter } from '../../../src/bot/adapter.js';
import { ProofupBot } from '../../../src/bot/proofup-bot.js';
import type { Flow } from '../../../src/flow/flow.js';
import { createLogger } from '../../../src/logging.js';

function failingTurn() {
  const sent: string[] = [];
  const context = {
    activity: { id: 'a1', type: 'message', conversation: { id: 'c1' }, channelId: 'msteams' },
    turnState: new Map(),
    sendActivity: async (text: string) => {
      sent.push(text);
      return { id: 'r1' };
    },
  } as unknown as TurnContext;
  return { context, sent };
}

const logger = createLogger({ level: 'silent', pretty: false });
const auth = new ConfigurationBotFrameworkAuthentication({});

describe('onTurnError', () => {
  it('says what the flow says when the flow has something to say', async () => {
    const adapter = createAdapter(auth, logger, undefined, () => async (_c, ref) => `still being processed (${ref})`);
    const { context, sent } = failingTurn();
    await adapter.onTurnError(context, new Error('connector refused'));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/^still being processed \([0-9a-f]{8}\)$/);
    expect(sent[0]).not.toMatch(/nothing was changed/);
  });

  it('without a word from the flow (none wired, or unreadable) it claims nothing about a change', async () => {
    for (const reply of [async () => undefined, async () => Promise.reject(new Error('storage down'))]) {
      const adapter = createAdapter(auth, logger, undefined, () => reply);
      const { context, sent } = failingTurn();
      await adapter.onTurnError(context, new Error('boom'));
      expect(sent[0]).toMatch(/^Sorry, something went wrong on our side\. Please try again in a minute/);
      expect(sent[0]).not.toMatch(/nothing was changed/);
    }
  });
});

describe('what the flow says about a failed turn', () => {
  const botWith = (flow: Partial<Flow> | undefined) =>
    new ProofupBot(
      {} as never,
      {} as never,
      { peek: async () => flow } as never,
      logger,
      {} as never,
      {} as never,
      {} as never,
      {} as never,
      { voice: false, officePolicy: 'any' },
    );
  const personal = {
    activity: {
      type: 'message',
      channelId: 'msteams',
      conversation: { id: 'a:1', conversationType: 'personal' },
      from: { id: '29:u' },
    },
  } as unknown as TurnContext;

  it.each([
    [{ stage: 'applying', outbox: [] }, /still being processed/],
    [{ stage: 'confirm', outbox: [{ id: 'q', effect: { kind: 'apply' } }] }, /still being processed/],
    [{ stage: 'ended', outbox: [] }, /Your last change is finished/],
    [{ stage: 'confirm', outbox: [] }, /nothing was changed/],
    [undefined, /nothing was changed/],
  ] as [Partial<Flow> | undefined, RegExp][])('%j → %s', async (flow, said) => {
    expect(await botWith(flow).turnErrorReply(personal, 'abcd1234')).toMatch(said);
  });
});
