// The passkey move over HTTP in the sandbox (Teams path): where a person stands on the security-info card, the
// guided set-up (device, steps, Microsoft's page — here the sandbox's My Sign-ins, used over HTTPS as a person would),
// "I've added it" and the 15-minute watch, one confirmation + one audit record + one e-mail whatever arrives twice,
// the phone removal offered afterwards, "I can't do this" to the helpdesk; before and after 1 February 2027 (the
// sandbox calendar, SANDBOX_NOW) and with PHONE_DELIVERY both ways; Entra's regional opt-in warning.
import { describe, expect, it } from 'vitest';
import { HttpsClient } from '../../src/identity/https-client.js';
import { ADELE_V, ALEX_W, type Chat, chatUser, inChannel, MEGAN_B, PATTI_F, useFlowBot } from '../helpers/flow-chat.js';
import { cardText } from '../helpers/step-up-flow.js';
import type { TestBot } from '../helpers/test-bot.js';

/** A person adds a passkey on the (sandbox) My Sign-ins page, over HTTPS. */
async function addPasskeyOnPage(bot: TestBot, oid: string, device = 'iphone') {
  const http = new HttpsClient({ extraCaPem: bot.caPem });
  const page = `${bot.config.graph.baseUrl}/_sandbox/mysignins`;
  const res = await http.request(page, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ oid, device }).toString(),
  });
  expect(res.body).toContain('added.');
}

const passkeyAudits = async (bot: TestBot, oid: string) =>
  (await bot.app.audit.since(new Date(Date.now() - 120_000))).filter(
    (r) => r.action === 'passkeyAdded' && r.actorOid === oid,
  );
const passkeyMails = (bot: TestBot, to: string) =>
  bot.outbox.items.filter((m) => m.kind === 'email' && m.to === to && /passkey was added/i.test(m.subject));

describe('before 1 February 2027, Microsoft delivering the codes (the defaults)', () => {
  const ctx = useFlowBot('pk', { profile: 'sandbox', env: { SANDBOX_NOW: '2026-12-02T09:00:00Z' } });
  const press = (chat: Chat, value: Record<string, unknown>) => ctx.chats.submit(chat, value);

  it('phone-only Adele: told on the security-info card; set-up → "I\'ve added it" → confirmed once, audited, e-mailed; the phone removal offered', async () => {
    const { chat, flowId } = await ctx.chats.verified(chatUser(ADELE_V));
    const menu = await ctx.chats.shownIn(chat, /Your sign-in security info/);
    expect(JSON.stringify(menu.body)).toContain(
      'Action needed: you sign in only with phone codes, and Microsoft stops sending them on February 1, 2027.',
    );
    const devices = await press(chat, { action: 'passkey.start', flowId });
    expect(cardText(devices)).toContain('Where do you want your passkey?');
    const steps = await press(chat, { action: 'passkey.device', flowId, picked: 'iphone' });
    expect(cardText(steps)).toContain('Confirm with Face ID or Touch ID');
    expect(cardText(steps)).toContain(`${ctx.bot.config.graph.baseUrl}/_sandbox/mysignins`);
    await addPasskeyOnPage(ctx.bot, ADELE_V.oid);
    const done = await press(chat, { action: 'passkey.added', flowId });
    expect(cardText(done)).toContain('Your passkey is set up');
    expect(cardText(done)).toContain('iPhone (iCloud Keychain)');
    // Her mobile is her default method: the planner will not remove it, so no removal is offered.
    expect(cardText(done)).not.toMatch(/Remove /);
    await expect.poll(() => passkeyMails(ctx.bot, ADELE_V.upn).length).toBe(1);
    expect(await passkeyAudits(ctx.bot, ADELE_V.oid)).toHaveLength(1);
    // "I've added it" again: said, nothing more sent or audited.
    const again = await press(chat, { action: 'passkey.added', flowId });
    expect(again.text).toMatch(/is already confirmed/);
    expect(passkeyMails(ctx.bot, ADELE_V.upn)).toHaveLength(1);
    expect(await passkeyAudits(ctx.bot, ADELE_V.oid)).toHaveLength(1);
  });

  it('not there yet: the watch re-reads Graph on the sweep and confirms once when the passkey appears', async () => {
    const { chat, flowId } = await ctx.chats.verified(chatUser(MEGAN_B));
    await press(chat, { action: 'passkey.start', flowId });
    await press(chat, { action: 'passkey.device', flowId, picked: 'windows' });
    const waiting = await press(chat, { action: 'passkey.added', flowId });
    expect(cardText(waiting)).toContain("I'll keep checking for 15 minutes");
    await addPasskeyOnPage(ctx.bot, MEGAN_B.oid, 'windows');
    // A minute passes (the next check is due), then the sweep runs — twice, as two instances might.
    const key = ctx.chats.flowKeyOf(chat);
    const stored = (await ctx.bot.app.storage.read([key]))[key] as { passkey: { nextCheckAt: number } };
    await ctx.bot.app.storage.write({ [key]: { ...stored, passkey: { ...stored.passkey, nextCheckAt: 0 } } });
    const [first, second] = await Promise.all([ctx.bot.app.sweep(), ctx.bot.app.sweep()]);
    expect(first.watched + second.watched).toBeGreaterThanOrEqual(1);
    const done = await ctx.chats.shownIn(chat, /Your passkey is set up/);
    // Phones that no longer sign her in may go (offered, never done by itself); through the usual confirm card.
    expect(JSON.stringify(done.body)).toMatch(/Remove Alternate phone \+44/);
    const confirm = await press(chat, { action: 'sec.removePhone', flowId, phoneType: 'alternateMobile' });
    expect(cardText(confirm)).toContain('Confirm the change');
    await expect.poll(() => passkeyMails(ctx.bot, MEGAN_B.upn).length).toBe(1);
    await ctx.bot.app.sweep();
    expect(await passkeyAudits(ctx.bot, MEGAN_B.oid)).toMatchObject([
      { reason: 'seen-by-watch', after: 'Windows Hello' },
    ]);
    expect(passkeyMails(ctx.bot, MEGAN_B.upn)).toHaveLength(1);
  });

  it('"I can\'t do this": an answer per case, and "Ask the helpdesk" escalates with reason passkey-setup', async () => {
    await ctx.bot.send(ctx.bot.activity({ ...inChannel(ALEX_W), text: '<at>Proofup</at> hello' }));
    const { chat, flowId } = await ctx.chats.verified(chatUser(ADELE_V));
    await press(chat, { action: 'passkey.start', flowId });
    const help = await press(chat, { action: 'passkey.help', flowId });
    expect(cardText(help)).toContain('What is in the way?');
    const answer = await press(chat, { action: 'passkey.help', flowId, picked: 'no-phone' });
    expect(cardText(answer)).toContain('No smartphone is needed');
    const told = await press(chat, { action: 'helpdesk.escalate', flowId, reason: 'passkey-setup', lang: 'en' });
    expect(told.text).toMatch(/^I've asked the helpdesk to help you/);
    const audit = await ctx.bot.app.audit.since(new Date(Date.now() - 60_000));
    expect(audit.find((r) => r.action === 'escalated' && r.actorOid === ADELE_V.oid)?.reason).toContain(
      'passkey-setup',
    );
  });

  it('a ready person is told so, with no passkey button; a UK number warns that Entra needs the tenant opt-in', async () => {
    const { chat } = await ctx.chats.verified(chatUser(PATTI_F));
    const menu = await ctx.chats.shownIn(chat, /Your sign-in security info/);
    expect(JSON.stringify(menu.body)).toContain('Ready for February 1, 2027: you sign in with YubiKey 5C NFC');
    expect(JSON.stringify(menu.body)).not.toContain('"passkey.start"');
    const megan = await ctx.chats.verified(chatUser(MEGAN_B));
    await press(megan.chat, { action: 'sec.editPhone', flowId: megan.flowId, phoneType: 'mobile' });
    const number = await press(megan.chat, {
      action: 'sec.submitNumber',
      flowId: megan.flowId,
      country: 'GB',
      number: '07400 111222',
    });
    expect(cardText(number)).toContain('We texted');
    const confirm = await press(megan.chat, {
      action: 'sec.submitCode',
      flowId: megan.flowId,
      code: await ctx.chats.codeFor('+447400111222'),
    });
    expect(cardText(confirm)).toContain('Microsoft does not text or call numbers in this country for sign-in until');
  });
});

describe('after 1 February 2027 (SANDBOX_NOW=2027-02-02)', () => {
  const ctx = useFlowBot('pk-after', { profile: 'sandbox', env: { SANDBOX_NOW: '2027-02-02T09:00:00Z' } });

  it('phone-only: "your phones no longer sign you in"; a new phone is still offered, with the plain warning', async () => {
    const { chat, flowId } = await ctx.chats.verified(chatUser(ADELE_V));
    const menu = await ctx.chats.shownIn(chat, /Your sign-in security info/);
    expect(JSON.stringify(menu.body)).toContain('since February 1, 2027 Microsoft no longer sends codes to phones');
    const entry = await ctx.chats.submit(chat, { action: 'sec.editPhone', flowId, phoneType: 'mobile' });
    expect(cardText(entry)).toContain("this number is saved, but it won't sign you in");
  });
});

describe('after 1 February 2027 with PHONE_METHODS_AFTER_RETIREMENT=refuse', () => {
  const ctx = useFlowBot('pk-refuse', {
    profile: 'sandbox',
    env: { SANDBOX_NOW: '2027-03-01', PHONE_METHODS_AFTER_RETIREMENT: 'refuse', ENTRA_OPTED_IN_COUNTRIES: 'GB' },
  });

  it('adding or changing a phone is not offered; removing one still is', async () => {
    const { chat, flowId } = await ctx.chats.verified(chatUser(MEGAN_B));
    const refused = await ctx.chats.submit(chat, { action: 'sec.editPhone', flowId, phoneType: 'mobile' });
    expect(cardText(refused)).toContain('your organisation no longer adds phone numbers. Set up a passkey instead.');
    const remove = await ctx.chats.submit(chat, { action: 'sec.removePhone', flowId, phoneType: 'office' });
    expect(cardText(remove)).toContain('Confirm the change');
  });
});

describe('PHONE_DELIVERY=provider (the tenant keeps phones through its own telecom provider)', () => {
  const ctx = useFlowBot('pk-provider', {
    profile: 'sandbox',
    env: { SANDBOX_NOW: '2027-02-02', PHONE_DELIVERY: 'provider' },
  });

  it('no retirement warning on phones; a passkey is still offered as the safer way', async () => {
    const { chat, flowId } = await ctx.chats.verified(chatUser(ADELE_V));
    const menu = await ctx.chats.shownIn(chat, /Your sign-in security info/);
    expect(JSON.stringify(menu.body)).toContain('keeps text and call codes through its own provider');
    const entry = await ctx.chats.submit(chat, { action: 'sec.editPhone', flowId, phoneType: 'mobile' });
    expect(cardText(entry)).not.toMatch(/February 1, 2027|sign you in unless/);
  });
});
