// Step-up where the browser shows a code the user types into the same chat (the sandbox and its Agents Playground,
// which cannot run the Teams auth window). The code must come back from the same user in the same conversation.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ALEX,
  callback,
  cardText,
  exchange,
  MEGAN,
  openStart,
  personal,
  requestSignIn,
  signInAtEntra,
  signInThroughBrowser,
} from '../helpers/step-up-flow.js';
import { startTestBot, type TestBot } from '../helpers/test-bot.js';

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({ profile: 'sandbox' });
});
afterAll(async () => {
  await bot?.close();
});

async function grant(chat: ReturnType<typeof personal>) {
  const id = createHash('sha256').update(`msteams\n${chat.from.id}\n${chat.conversation.id}`).digest('base64url');
  const key = `stepup/grant/${id}`;
  return (await bot.app.storage.read([key]))[key];
}

const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
const megan = { id: '29:user-megan', name: 'Megan Bowen', aadObjectId: MEGAN.oid };

describe('typed binding code', () => {
  it('happy path: sign in, type the code shown in the browser, "Verified as Alex Wilber"', async () => {
    const chat = personal('a:typed-happy');
    const page = await signInThroughBrowser(bot, chat);
    expect(page.status).toBe(200);
    expect(page.code).toMatch(/^\d{6}$/);
    expect(page.html).toMatch(/Never give this code to anyone/);
    const reply = await exchange(bot, { ...chat, text: ` ${page.code} ` });
    expect(cardText(reply)).toContain('Verified as Alex Wilber');
    expect(await grant(chat)).toMatchObject({ oid: ALEX.oid, acrs: ['c1'] });
    // Only the grant remains: the attempt (with the sign-in's name and UPN) is gone.
    const pointerId = createHash('sha256')
      .update(`msteams\n${chat.from.id}\n${chat.conversation.id}`)
      .digest('base64url');
    expect(await bot.app.storage.read([`stepup/pending/${pointerId}`])).toEqual({});
    expect(cardText(await exchange(bot, { ...chat, text: page.code }))).toMatch(/no sign-in waiting/);
  });

  it('the sign-in speaks the language of the request: ui_locales for Entra, the code page in that language', async () => {
    const chat = personal('a:typed-fr');
    const start = await openStart(bot, await requestSignIn(bot, chat, { action: 'stepUp.start', lang: 'fr' }));
    const authorize = new URL(start.headers.get('location') ?? '');
    expect(authorize.searchParams.get('ui_locales')).toBe('fr-FR');
    const page = await callback(bot, await signInAtEntra(bot, authorize.toString(), ALEX));
    expect(page.html).toContain('<html lang="fr">');
    expect(page.html).toContain('Connecté en tant que Alex Wilber');
    const verified = await exchange(bot, { ...chat, text: page.code });
    expect(cardText(verified)).toContain('Identité confirmée : Alex Wilber');
  });

  it('the code typed by another user in the same conversation does not bind', async () => {
    const chat = personal('a:typed-other-user');
    const page = await signInThroughBrowser(bot, chat);
    const reply = await exchange(bot, { ...personal('a:typed-other-user', megan), text: page.code });
    expect(cardText(reply)).toMatch(/no sign-in waiting/);
    expect(await grant(personal('a:typed-other-user', megan))).toBeUndefined();
    // The rightful user can still finish.
    expect(cardText(await exchange(bot, { ...chat, text: page.code }))).toContain('Verified as Alex Wilber');
  });

  it('the code typed in another conversation does not bind', async () => {
    const chat = personal('a:typed-origin');
    const page = await signInThroughBrowser(bot, chat);
    const elsewhere = personal('a:typed-elsewhere');
    expect(cardText(await exchange(bot, { ...elsewhere, text: page.code }))).toMatch(/no sign-in waiting/);
    expect(await grant(elsewhere)).toBeUndefined();
    expect(await grant(chat)).toBeUndefined();
  });

  it('5 wrong codes end the attempt; the right code afterwards (the 6th try) is refused', async () => {
    const chat = personal('a:typed-wrong');
    const page = await signInThroughBrowser(bot, chat);
    for (let i = 1; i <= 4; i++) {
      expect(cardText(await exchange(bot, { ...chat, text: wrong(page.code ?? '') }))).toMatch(/doesn't match/);
    }
    expect(cardText(await exchange(bot, { ...chat, text: wrong(page.code ?? '') }))).toMatch(/Too many wrong codes/);
    expect(cardText(await exchange(bot, { ...chat, text: page.code }))).toMatch(/no sign-in waiting/);
    expect(await grant(chat)).toBeUndefined();
  });

  it('a sign-in by another account (forwarded link) never binds, even with the right code', async () => {
    const chat = personal('a:typed-forwarded');
    const page = await signInThroughBrowser(bot, chat, MEGAN);
    const reply = await exchange(bot, { ...chat, text: page.code });
    expect(cardText(reply)).toMatch(/different account/);
    expect(await grant(chat)).toBeUndefined();
  });

  it('an expired attempt is refused when the code arrives', async () => {
    const chat = personal('a:typed-expired');
    const page = await signInThroughBrowser(bot, chat);
    const pointerId = createHash('sha256')
      .update(`msteams\n${chat.from.id}\n${chat.conversation.id}`)
      .digest('base64url');
    const pointer = (await bot.app.storage.read([`stepup/pending/${pointerId}`]))[`stepup/pending/${pointerId}`];
    const key = `stepup/attempt/${pointer?.attemptId}`;
    const attempt = (await bot.app.storage.read([key]))[key];
    await bot.app.storage.write({ [key]: { ...attempt, expiresAt: Date.now() - 1, eTag: '*' } });
    expect(cardText(await exchange(bot, { ...chat, text: page.code }))).toMatch(/expired/);
    expect(await grant(chat)).toBeUndefined();
  });

  it('cancel ends a waiting sign-in', async () => {
    const chat = personal('a:typed-cancel');
    const page = await signInThroughBrowser(bot, chat);
    expect((await exchange(bot, { ...chat, text: 'cancel' })).text).toMatch(/Cancelled/);
    expect(cardText(await exchange(bot, { ...chat, text: page.code }))).toMatch(/no sign-in waiting/);
  });

  it('cancel kills the waiting link at /auth/start: the page says cancelled, no MFA prompt is reached', async () => {
    const chat = personal('a:cancel-start');
    const link = await requestSignIn(bot, chat);
    expect((await exchange(bot, { ...chat, text: 'cancel' })).text).toMatch(/Cancelled/);
    const start = await openStart(bot, link);
    expect(start.status).toBe(410);
    expect(start.headers.get('location')).toBeNull();
    expect(await start.text()).toMatch(/Sign-in cancelled.*You cancelled this sign-in in the chat/s);
  });

  it('cancel after the redirect kills the link at /auth/callback too (the MFA already done does not count)', async () => {
    const chat = personal('a:cancel-callback');
    const start = await openStart(bot, await requestSignIn(bot, chat));
    const atEntra = start.headers.get('location') as string;
    await exchange(bot, { ...chat, value: { action: 'flow.cancel' }, text: undefined });
    const page = await callback(bot, await signInAtEntra(bot, atEntra));
    expect(page.status).toBe(410);
    expect(page.code).toBeUndefined();
    expect(page.html).toMatch(/Sign-in cancelled/);
    expect(await grant(chat)).toBeUndefined();
  });

  it('"Verify it\'s you" pressed again replaces the first link: it says replaced; the new one works', async () => {
    const chat = personal('a:replaced');
    const first = await requestSignIn(bot, chat);
    const second = await requestSignIn(bot, chat);
    const old = await openStart(bot, first);
    expect(old.status).toBe(410);
    expect(await old.text()).toMatch(/Sign-in replaced.*newer sign-in/s);
    const fresh = await openStart(bot, second);
    expect(fresh.status).toBe(302);
    const page = await callback(bot, await signInAtEntra(bot, fresh.headers.get('location') as string));
    expect(cardText(await exchange(bot, { ...chat, text: page.code }))).toContain('Verified as Alex Wilber');
  });

  it('one 5xx from the token endpoint is absorbed (retried once): the sign-in completes', async () => {
    bot.entra.tokenFaults.push({ status: 503 });
    const chat = personal('a:token-503-once');
    const page = await signInThroughBrowser(bot, chat);
    expect(page.status).toBe(200);
    expect(cardText(await exchange(bot, { ...chat, text: page.code }))).toContain('Verified as Alex Wilber');
  });

  it('a persistent 5xx: the user is told to try again now, and the NEXT sign-in is not locked out for 60 s', async () => {
    bot.entra.tokenFaults.push({ status: 500 }, { status: 500 });
    const first = await signInThroughBrowser(bot, personal('a:token-500'));
    expect(first.status).toBe(403);
    expect(first.html).toMatch(/temporary problem.*Please try again now/s);
    // msal-node alone would refuse this one without calling Entra (its throttling cache, 60 s).
    const chat = personal('a:token-500-next');
    const second = await signInThroughBrowser(bot, chat);
    expect(second.status).toBe(200);
    expect(cardText(await exchange(bot, { ...chat, text: second.code }))).toContain('Verified as Alex Wilber');
  });

  it('a 429 with Retry-After: "try again in 7 seconds"', async () => {
    bot.entra.tokenFaults.push({ status: 429, retryAfterSeconds: 7 });
    const page = await signInThroughBrowser(bot, personal('a:token-429'));
    expect(page.html).toMatch(/Please try again in 7 seconds/);
    const chat = personal('a:token-429-next');
    expect((await signInThroughBrowser(bot, chat)).status).toBe(200);
  });

  it('a keep-alive socket the server closed as the code was sent: retried on a fresh socket', async () => {
    bot.entra.tokenFaults.push({ status: 'reset', onReusedSocketOnly: true });
    const chat = personal('a:token-stale-socket');
    const page = await signInThroughBrowser(bot, chat);
    expect(page.status).toBe(200);
    expect(bot.entra.tokenFaults).toEqual([]); // the fault was hit
    expect(cardText(await exchange(bot, { ...chat, text: page.code }))).toContain('Verified as Alex Wilber');
  });

  it('a transport failure msal calls network_error is logged WITH its cause (ECONNRESET)', async () => {
    bot.entra.tokenFaults.push({ status: 'reset' }, { status: 'reset' });
    const page = await signInThroughBrowser(bot, personal('a:token-reset-twice'));
    expect(page.html).toMatch(/did not complete/);
    const line = bot.logs.find((l) => l.includes('identity endpoint request failed'));
    expect(line).toMatch(/"code":"ECONNRESET"/);
    bot.entra.tokenFaults.length = 0; // the second reset is unused when the first hit a fresh socket
  });

  it('no token, ID-token fragment or binding code ever reaches the logs', async () => {
    const chat = personal('a:typed-logs');
    const page = await signInThroughBrowser(bot, chat);
    await exchange(bot, { ...chat, text: page.code });
    const logs = bot.logs.join('\n');
    expect(logs).toContain('step-up verified and bound to the chat');
    expect(logs).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}/);
    expect(logs).not.toMatch(new RegExp(`(?<!\\d)${page.code}(?!\\d)`)); // not as a number of its own
    expect(logs).not.toMatch(/code_verifier|client_secret|offline-test-secret/);
  });

  it('six digits with no sign-in waiting get a clear answer, not the help card', async () => {
    const reply = await exchange(bot, { ...personal('a:typed-nothing'), text: '123456' });
    expect(cardText(reply)).toMatch(/no sign-in waiting/);
  });
});
