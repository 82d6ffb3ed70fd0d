// Step-up in the production profile, Teams: the Teams auth window path (signin/verifyState), and every way an ID
// token or a sign-in link can be wrong. Each refusal must leave NO grant behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdTokenFault } from '../../src/sandbox/entra/token-signer.js';
import {
  ALEX,
  callback,
  cardText,
  exchange,
  grantFor,
  MEGAN,
  openStart,
  personal,
  requestSignIn,
  signInAtEntra,
  signInThroughBrowser,
} from '../helpers/step-up-flow.js';
import { startTestBot, TEST_APP_ID, type TestBot } from '../helpers/test-bot.js';

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot();
});
afterAll(async () => {
  await bot?.close();
});

const verifyState = (chat: ReturnType<typeof personal>, state: string) =>
  exchange(bot, { ...chat, type: 'invoke', name: 'signin/verifyState', value: { state }, text: undefined });

describe('Teams happy path', () => {
  it('sign-in link -> Entra with step-up parameters -> Teams page -> verifyState -> "Verified as"', async () => {
    const chat = personal('a:teams-happy');
    const startUrl = await requestSignIn(bot, chat);
    expect(startUrl).toMatch(/^https:\/\/proofup\.offline\.test\/auth\/start\?s=/);

    const start = await openStart(bot, startUrl);
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location') ?? '');
    expect(authorize.origin).toBe(bot.entra.authorityHost);
    expect(authorize.pathname).toBe(`/${bot.config.stepUp.tenantId}/oauth2/v2.0/authorize`);
    const q = authorize.searchParams;
    expect(q.get('client_id')).toBe(TEST_APP_ID);
    expect(q.get('redirect_uri')).toBe('https://proofup.offline.test/auth/callback');
    expect(q.get('prompt')).toBe('login');
    expect(q.get('max_age')).toBe('600');
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('nonce')).toBeTruthy();
    expect(JSON.parse(q.get('claims') ?? '{}').id_token.acrs).toEqual({ essential: true, value: 'c1' });

    const page = await callback(bot, await signInAtEntra(bot, authorize.toString()));
    expect(page.status).toBe(200);
    expect(page.html).toContain('/auth/teams-js.js');
    expect(await grantFor(bot, chat)).toBeUndefined();

    const reply = await verifyState(chat, page.code ?? '');
    expect(cardText(reply)).toContain('Verified as Alex Wilber');
    expect(await grantFor(bot, chat)).toMatchObject({ oid: ALEX.oid, upn: ALEX.upn, acrs: ['c1'] });
  });

  it('serves TeamsJS from our own origin (no CDN)', async () => {
    const res = await fetch(`${bot.url}/auth/teams-js.js`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('notifySuccess');
  });
});

describe('signin/verifyState with a state that is not a string', () => {
  it.each([
    ['a number', 123456],
    ['an object', { code: 'x' }],
    ['an array', ['x']],
    ['null', null],
  ])(
    '%s, while a sign-in waits, is answered (no 5xx), binds nothing, and the right code still works',
    async (_name, state) => {
      const chat = personal(`a:state-${String(_name).replace(/\W+/g, '-')}`);
      const page = await signInThroughBrowser(bot, chat);
      const res = await bot.send(
        bot.activity({ ...chat, type: 'invoke', name: 'signin/verifyState', value: { state }, text: undefined }),
      );
      expect(res.status).toBeLessThan(500);
      expect(await grantFor(bot, chat)).toBeUndefined();
      expect(cardText(await verifyState(chat, page.code ?? ''))).toContain('Verified as Alex Wilber');
    },
  );
});

describe('ID-token refusals at the callback: 4xx page, chat told, no grant', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const faults: [string, () => IdTokenFault, RegExp][] = [
    ['forged signature', () => ({ signWith: 'foreign-key' }), /could not be verified/],
    ['alg none', () => ({ signWith: 'alg-none' }), /could not be verified/],
    ['expired', () => ({ claims: { exp: now() - 600, iat: now() - 4200, nbf: now() - 4200 } }), /already expired/],
    ['nbf in the future', () => ({ claims: { nbf: now() + 3600 } }), /not valid yet/],
    ['wrong aud', () => ({ claims: { aud: '00000000-0000-0000-0000-00000000dead' } }), /different application/],
    [
      'aud with our client id AND another audience',
      () => ({ claims: { aud: [TEST_APP_ID, '00000000-0000-0000-0000-00000000dead'] } }),
      /different application/,
    ],
    [
      'azp of another client',
      () => ({ claims: { azp: '00000000-0000-0000-0000-00000000dead' } }),
      /different application/,
    ],
    ['wrong iss', () => ({ claims: { iss: 'https://login.evil.example/x/v2.0' } }), /unexpected identity provider/],
    ['other tenant', () => ({ claims: { tid: '11111111-2222-4333-8444-555555555555' } }), /another organisation/],
    ['nonce mismatch', () => ({ claims: { nonce: 'not-the-nonce' } }), /belong to this sign-in attempt/],
    ['auth_time older than max age', () => ({ claims: { auth_time: now() - 3600 } }), /not fresh/],
    ['acrs missing', () => ({ claims: { acrs: null } }), /did not include the MFA check/],
  ];

  it.each(faults)('%s', async (name, fault, message) => {
    const chat = personal(`a:fault-${name.replace(/\W+/g, '-')}`);
    bot.entra.nextIdTokenFault = fault();
    const page = await signInThroughBrowser(bot, chat);
    expect(page.status).toBeGreaterThanOrEqual(400);
    expect(page.status).toBeLessThan(500);
    expect(page.html).toMatch(message);
    expect(page.code).toBeUndefined();
    const told = await bot.connector.waitFor(
      (c) => c.conversationId === chat.conversation.id && /Sign-in not accepted/.test(JSON.stringify(c.body)),
    );
    expect(JSON.stringify(told.body)).toMatch(message);
    expect(await grantFor(bot, chat)).toBeUndefined();
  });

  it('"sign in without MFA" at the login page carries no acrs and is refused', async () => {
    const chat = personal('a:no-mfa');
    const page = await signInThroughBrowser(bot, chat, ALEX, 'nomfa');
    expect(page.status).toBe(403);
    expect(page.html).toMatch(/did not include the MFA check/);
    expect(await grantFor(bot, chat)).toBeUndefined();
  });

  it('a denied MFA request is reported as such', async () => {
    const chat = personal('a:denied');
    const page = await signInThroughBrowser(bot, chat, ALEX, 'deny');
    expect(page.status).toBe(403);
    expect(page.html).toMatch(/MFA request was denied/);
    await bot.connector.waitFor((c) => c.conversationId === 'a:denied' && /denied/.test(JSON.stringify(c.body)));
  });
});

describe('sign-in links and state', () => {
  it('/auth/start is single use', async () => {
    const startUrl = await requestSignIn(bot, personal('a:start-twice'));
    expect((await openStart(bot, startUrl)).status).toBe(302);
    const again = await openStart(bot, startUrl);
    expect(again.status).toBe(409);
    expect(again.headers.get('location')).toBeNull();
  });

  it('/auth/start refuses unknown or tampered links and never redirects anywhere but the authority', async () => {
    const startUrl = await requestSignIn(bot, personal('a:tamper'));
    const tampered = startUrl.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    for (const url of [
      tampered,
      'https://proofup.offline.test/auth/start?s=nonsense',
      'https://proofup.offline.test/auth/start',
    ]) {
      const res = await openStart(bot, url);
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
    }
    const injected = await openStart(
      bot,
      `${startUrl}&redirect_uri=https%3A%2F%2Fevil.example%2F&authority=https%3A%2F%2Fevil.example`,
    );
    const location = new URL(injected.headers.get('location') ?? '');
    expect(location.origin).toBe(bot.entra.authorityHost);
    expect(location.searchParams.get('redirect_uri')).toBe('https://proofup.offline.test/auth/callback');
  });

  it('a callback replayed with the same state is refused', async () => {
    const chat = personal('a:replay');
    const start = await openStart(bot, await requestSignIn(bot, chat));
    const callbackUrl = await signInAtEntra(bot, start.headers.get('location') ?? '');
    expect((await callback(bot, callbackUrl)).status).toBe(200);
    const replay = await callback(bot, callbackUrl);
    expect(replay.status).toBe(409);
    expect(replay.code).toBeUndefined();
  });

  it('an expired sign-in link is refused', async () => {
    const chat = personal('a:expired');
    const startUrl = await requestSignIn(bot, chat);
    const attemptId = decodeURIComponent(new URL(startUrl).searchParams.get('s') ?? '').split('.')[0];
    const key = `stepup/attempt/${attemptId}`;
    const stored = (await bot.app.storage.read([key]))[key];
    await bot.app.storage.write({ [key]: { ...stored, expiresAt: Date.now() - 1, eTag: '*' } });
    const res = await openStart(bot, startUrl);
    expect(res.status).toBe(410);
    expect(await res.text()).toMatch(/expired/);
  });
});

describe('binding in Teams', () => {
  it('a wrong verifyState code is refused', async () => {
    const chat = personal('a:teams-wrong');
    const page = await signInThroughBrowser(bot, chat);
    const reply = await verifyState(chat, `${page.code}x`);
    expect(cardText(reply)).toMatch(/doesn't match/);
    expect(await grantFor(bot, chat)).toBeUndefined();
  });

  it('a verifyState from another conversation is refused', async () => {
    const chat = personal('a:teams-origin');
    const page = await signInThroughBrowser(bot, chat);
    const reply = await verifyState(personal('a:teams-elsewhere'), page.code ?? '');
    expect(cardText(reply)).toMatch(/no sign-in waiting/);
    expect(await grantFor(bot, personal('a:teams-elsewhere'))).toBeUndefined();
  });

  it('a sign-in by another account (a forwarded link) never binds: token oid != Teams aadObjectId', async () => {
    const chat = personal('a:forwarded');
    const page = await signInThroughBrowser(bot, chat, MEGAN);
    expect(page.status).toBe(200);
    const reply = await verifyState(chat, page.code ?? '');
    expect(cardText(reply)).toMatch(/different account/);
    expect(await grantFor(bot, chat)).toBeUndefined();
  });

  it('typing a 6-digit code is not accepted for a Teams sign-in', async () => {
    const chat = personal('a:teams-typed');
    await signInThroughBrowser(bot, chat);
    const reply = await exchange(bot, { ...chat, text: '123456' });
    expect(cardText(reply)).toMatch(/Teams sign-in window/);
    expect(await grantFor(bot, chat)).toBeUndefined();
  });
});
