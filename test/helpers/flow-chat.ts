// A user's 1:1 chat with the bot in the sandbox, driven over HTTP: sign in, press card buttons, type, and watch what
// the bot posts or updates (through the capturing Bot Connector). Shared by the flow-level integration tests.
import type { Activity } from 'botbuilder';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { chatKey } from '../../src/runner/flow-store.js';
import { DEMO_USERS } from '../../src/sandbox/entra/demo-directory.js';
import { demoSecurityInfo } from '../../src/sandbox/graph/demo-methods.js';
import { ALEX, exchange, personal, signInThroughBrowser } from './step-up-flow.js';
import { startTestBot, type TestBot, type TestBotOptions } from './test-bot.js';

export type DemoUser = (typeof DEMO_USERS)[number];
/** The sandbox directory's people, by name. */
export const [ALEX_W, MEGAN_B, ADELE_V, ISAIAH_L, PATTI_F] = DEMO_USERS as unknown as [
  DemoUser,
  DemoUser,
  DemoUser,
  DemoUser,
  DemoUser,
];

/**
 * One sandbox bot for a test file (started before its tests, closed after), with its users' security info and the
 * simulated Graph's faults reset before every test. Read `bot` and `chats` inside tests.
 */
export function useFlowBot(prefix: string, options: TestBotOptions = { profile: 'sandbox' }) {
  const ctx = {} as { bot: TestBot; chats: ReturnType<typeof flowChat> };
  beforeAll(async () => {
    ctx.bot = await startTestBot(options);
    ctx.chats = flowChat(ctx.bot, prefix);
  });
  afterAll(async () => {
    await ctx.bot?.close();
  });
  beforeEach(() => {
    ctx.bot.graph.clearFaults();
    for (const [oid, info] of demoSecurityInfo()) ctx.bot.graph.users.set(oid, info);
  });
  return ctx;
}

export type Chat = ReturnType<typeof personal>;
type Card = { body?: unknown[]; actions?: { data?: { flowId?: string } }[] };

export const chatUser = (u: (typeof DEMO_USERS)[number], id = u.name.split(' ')[0]?.toLowerCase()) => ({
  id: `29:user-${id}`,
  name: u.name,
  aadObjectId: u.oid,
});

/** The helpdesk's Teams channel in the integration tests. */
export const HELPDESK_CHANNEL = '19:helpdesk-general@thread.tacv2';

/** An activity from `user` in the helpdesk channel. */
export const inChannel = (user: DemoUser): Partial<Activity> => ({
  conversation: { id: HELPDESK_CHANNEL, conversationType: 'channel', isGroup: true, name: 'Helpdesk' },
  from: chatUser(user),
  channelData: {
    tenant: { id: '7a1b2c3d-0000-4000-8000-00000000c0de' },
    team: { id: '19:team' },
    channel: { id: HELPDESK_CHANNEL },
  },
});

export function flowChat(bot: TestBot, prefix: string) {
  let seq = 0;
  const shownIn = (chat: Chat, pattern: RegExp, timeoutMs = 5000) =>
    bot.connector.waitFor(
      (c) => c.conversationId === chat.conversation.id && pattern.test(JSON.stringify(c.body)),
      timeoutMs,
    );
  const submit = (chat: Chat, value: Record<string, unknown>) => exchange(bot, { ...chat, text: undefined, value });
  /** The one-time code the sandbox texted to this number most recently. */
  const textedCode = (e164: string) =>
    /^(\d{6}) /.exec((bot.outbox.lastSmsTo(e164) as { text: string } | undefined)?.text ?? '')?.[1] ?? '';
  /** The code a call read aloud to this number most recently ("4, 8, 1, 5, 2, 3"), once the call got that far. */
  const calledCode = async (e164: string) => {
    const deadline = Date.now() + 5000;
    for (;;) {
      const text = (bot.outbox.lastCallTo(e164) as { text: string } | undefined)?.text ?? '';
      const digits = /(\d(?:, \d){5})/.exec(text)?.[1];
      if (digits) return digits.replace(/, /g, '');
      if (Date.now() > deadline) return '';
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  /** The code most recently sent to this number, by text or by call. */
  const codeFor = async (e164: string) => textedCode(e164) || (await calledCode(e164));
  return {
    /** Signs in and binds in a new chat; returns the chat and the flow id from the first flow card. */
    async verified(
      user = chatUser(ALEX),
      extra: Partial<Activity> = {},
      firstCard: RegExp = /Your sign-in security info/,
    ): Promise<{ chat: Chat; flowId: string }> {
      const chat = { ...personal(`a:${prefix}-${++seq}`, user), ...extra } as Chat;
      const directoryUser = DEMO_USERS.find((u) => u.oid === user.aadObjectId) ?? ALEX;
      const page = await signInThroughBrowser(bot, chat, directoryUser);
      await exchange(bot, { ...chat, text: page.code });
      const shown = await shownIn(chat, firstCard);
      const card = (shown.body as Partial<Activity>).attachments?.[0]?.content as Card | undefined;
      const flowId = JSON.stringify(card).match(/"flowId":"([0-9a-f-]{36})"/)?.[1] ?? '';
      expect(flowId).toMatch(/^[0-9a-f-]{36}$/);
      return { chat, flowId };
    },
    /** The first message or card update in this chat whose content matches. */
    shownIn,
    submit,
    codeFor,
    calledCode,
    /** A whole US number change from the menu: new number, the code texted to it, confirm; waits for "Done". */
    async changePhone(chat: Chat, flowId: string, phoneType: string, national: string) {
      const e164 = `+1${national.replace(/\D/g, '')}`;
      await submit(chat, { action: 'sec.editPhone', flowId, phoneType });
      await submit(chat, { action: 'sec.submitNumber', flowId, country: 'US', number: national });
      await submit(chat, { action: 'sec.submitCode', flowId, code: await codeFor(e164) });
      await submit(chat, { action: 'sec.confirm', flowId });
      return shownIn(chat, /"Done"/);
    },
    flowKeyOf: (chat: Chat) =>
      `flow/${chatKey({ channelId: 'msteams', userId: chat.from.id, conversationId: chat.conversation.id })}`,
  };
}
