import type { Activity } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot, TEST_TENANT_ID, type TestBot } from '../helpers/test-bot.js';

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot();
});
afterAll(async () => {
  await bot?.close();
});

type Card = { body: { text?: string }[]; actions?: { title: string; data?: Record<string, unknown> }[] };
const cardOf = (a: Partial<Activity>) => (a.attachments?.[0]?.content as Card | undefined) ?? undefined;
const conv = (id: string) => ({ id, conversationType: 'personal', isGroup: false, name: '' });

async function say(conversationId: string, text: string, extra: Partial<Activity> = {}) {
  const before = bot.connector.activities(conversationId).length;
  const res = await bot.send(bot.activity({ text, conversation: conv(conversationId), ...extra }));
  expect(res.status).toBe(200);
  const deadline = Date.now() + 3000;
  while (bot.connector.activities(conversationId).length === before && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
  return bot.connector.activities(conversationId).slice(before);
}

describe('oversized text', () => {
  it('a 100 KB message is answered "too long" without being analysed (it ends with a request that would match)', async () => {
    const text = `${'lorem ipsum '.repeat(8500)} change my MFA phone`;
    const [reply] = await say('a:huge', text);
    expect(reply?.text).toMatch(/That message is too long for me \(102,0\d\d characters\)/);
    expect(reply?.attachments ?? []).toEqual([]);
  });

  it('a message at the limit is still understood', async () => {
    const text = `${'x'.repeat(1970)} change my MFA phone`;
    const [reply] = await say('a:long-ok', text);
    expect(JSON.stringify(reply)).toContain('Change your sign-in security info');
  });
});

describe('conversation entry points', () => {
  it('"change my MFA phone" answers with the intro card, naming what was understood', async () => {
    const [reply] = await say('a:intro', 'please change my alternate MFA phone');
    const card = cardOf(reply ?? {});
    expect(card?.body[0]?.text).toBe('Change your sign-in security info');
    expect(card?.body[1]?.text).toBe('You asked to change your alternate phone.');
    expect(card?.actions?.map((a) => a.title)).toEqual(["Verify it's you", 'Cancel']);
    expect(card?.actions?.[0]?.data?.flowId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('German, Spanish and French requests get the intro card in their own language', async () => {
    for (const [i, [text, title]] of [
      ['MFA Handynummer ändern', 'Sicherheitsinformationen für die Anmeldung ändern'],
      ['cambiar mi teléfono de MFA', 'Cambiar tu información de seguridad de inicio de sesión'],
      ['changer mon téléphone MFA', 'Modifier vos informations de sécurité de connexion'],
    ].entries()) {
      const [reply] = await say(`a:lang-${i}`, text as string);
      expect(cardOf(reply ?? {})?.body[0]?.text).toBe(title);
    }
  });

  it('anything else gets the short help card', async () => {
    const [reply] = await say('a:other', 'what is the weather');
    expect(cardOf(reply ?? {})?.body[0]?.text).toBe("I'm not sure what you mean. Here is what I can do");
  });

  it('the help card button starts the change', async () => {
    const [reply] = await say('a:help-btn', '', { value: { action: 'intent.changeSecurityInfo' } });
    expect(cardOf(reply ?? {})?.body[0]?.text).toBe('Change your sign-in security info');
  });

  it('welcomes a user once, not on every client reload', async () => {
    const update = {
      type: 'conversationUpdate',
      conversation: conv('a:welcome'),
      membersAdded: [{ id: '29:user-alex' }, { id: `28:bot` }],
      recipient: { id: '28:bot', name: 'Proofup' },
    };
    for (let i = 0; i < 3; i++) {
      const res = await bot.send(bot.activity(update as Partial<Activity>));
      expect(res.status).toBe(200);
    }
    await new Promise((r) => setTimeout(r, 200));
    const welcomes = bot.connector.activities('a:welcome');
    expect(welcomes).toHaveLength(1);
    expect(cardOf(welcomes[0] ?? {})?.body[0]?.text).toBe("Hi Alex, I'm Proofup.");
  });

  it('in a group chat it never asks for numbers there: it opens the 1:1 chat and says so', async () => {
    const group = {
      id: '19:group@thread.v2',
      conversationType: 'groupChat',
      isGroup: true,
      tenantId: TEST_TENANT_ID,
      name: 'IT',
    };
    const res = await bot.send(bot.activity({ text: '<at>Proofup</at> change my MFA phone', conversation: group }));
    expect(res.status).toBe(200);
    const created = await bot.connector.waitFor((c) => c.method === 'POST' && c.path === '/v3/conversations');
    expect(created.body).toMatchObject({ isGroup: false, members: [{ id: '29:user-alex' }], tenantId: TEST_TENANT_ID });
    const inPersonal = await bot.connector.waitFor((c) => /^a:personal-\d+$/.test(c.conversationId ?? ''));
    expect(cardOf(inPersonal.body as Partial<Activity>)?.body[0]?.text).toBe('Change your sign-in security info');
    const inGroup = await bot.connector.waitFor((c) => c.conversationId === group.id);
    expect(inGroup.body.text).toMatch(/sent you a private message/);
    expect(inGroup.body.attachments).toBeUndefined();
  });
});
