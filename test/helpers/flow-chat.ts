// A user's 1:1 chat with the bot in the sandbox, driven over HTTP: sign in, press card buttons, type, and watch what
// the bot posts or updates (through the capturing Bot Connector). Shared by the flow-level integration tests.
import type { Activity } from 'botbuilder';
import { expect } from 'vitest';
import { chatKey } from '../../src/runner/flow-store.js';
import { DEMO_USERS } from '../../src/sandbox/entra/demo-directory.js';
import { ALEX, exchange, personal, signInThroughBrowser } from './step-up-flow.js';
import type { TestBot } from './test-bot.js';

export type Chat = ReturnType<typeof personal>;
type Card = { body?: unknown[]; actions?: { data?: { flowId?: string } }[] };

export const chatUser = (u: (typeof DEMO_USERS)[number], id = u.name.split(' ')[0]?.toLowerCase()) => ({
  id: `29:user-${id}`,
  name: u.name,
  aadObjectId: u.oid,
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
  const codeFor = (e164: string) =>
    /^(\d{6}) /.exec((bot.outbox.lastSmsTo(e164) as { text: string } | undefined)?.text ?? '')?.[1] ?? '';
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
    /** A whole US number change from the menu: new number, the code texted to it, confirm; waits for "Done". */
    async changePhone(chat: Chat, flowId: string, phoneType: string, national: string) {
      const e164 = `+1${national.replace(/\D/g, '')}`;
      await submit(chat, { action: 'sec.editPhone', flowId, phoneType });
      await submit(chat, { action: 'sec.submitNumber', flowId, country: 'US', number: national });
      await submit(chat, { action: 'sec.submitCode', flowId, code: codeFor(e164) });
      await submit(chat, { action: 'sec.confirm', flowId });
      return shownIn(chat, /"Done"/);
    },
    flowKeyOf: (chat: Chat) =>
      `flow/${chatKey({ channelId: 'msteams', userId: chat.from.id, conversationId: chat.conversation.id })}`,
  };
}
