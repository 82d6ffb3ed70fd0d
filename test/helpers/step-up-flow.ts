// Drives the step-up over HTTP the way a user's browser and chat client would.
import type { Activity } from 'botbuilder';
import { HttpsClient } from '../../src/identity/https-client.js';
import { DEMO_USERS } from '../../src/sandbox/entra/demo-directory.js';
import type { TestBot } from './test-bot.js';

export const ALEX = DEMO_USERS[0] as (typeof DEMO_USERS)[number];
export const MEGAN = DEMO_USERS[1] as (typeof DEMO_USERS)[number];

export function personal(id: string, user = { id: '29:user-alex', name: 'Alex Wilber', aadObjectId: ALEX.oid }) {
  return { conversation: { id, conversationType: 'personal', isGroup: false, name: '' }, from: user };
}

/** Sends an activity and waits for the bot's next reply in that conversation. */
export async function exchange(bot: TestBot, activity: Partial<Activity>): Promise<Partial<Activity>> {
  const conversationId = activity.conversation?.id ?? '';
  const before = bot.connector.activities(conversationId).length;
  const res = await bot.send(bot.activity(activity));
  if (res.status !== 200) throw new Error(`bot answered ${res.status}`);
  const deadline = Date.now() + 5000;
  while (bot.connector.activities(conversationId).length === before) {
    if (Date.now() > deadline) throw new Error(`no reply in ${conversationId}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return bot.connector.activities(conversationId)[before] as Partial<Activity>;
}

export function cardText(activity: Partial<Activity>): string {
  return JSON.stringify(activity.attachments?.[0]?.content ?? {}) + (activity.text ?? '');
}

/** Presses "Verify it's you" and returns the start link from the sign-in card (Adaptive or Teams signin card). */
export async function requestSignIn(
  bot: TestBot,
  chat: Partial<Activity>,
  value: Record<string, unknown> = { action: 'stepUp.start' },
): Promise<string> {
  const reply = await exchange(bot, { ...chat, type: 'message', text: undefined, value });
  const content = reply.attachments?.[0]?.content as {
    actions?: { url?: string }[];
    buttons?: { value?: string }[];
  };
  const url = content?.actions?.[0]?.url ?? content?.buttons?.[0]?.value;
  if (!url) throw new Error(`no sign-in link in ${JSON.stringify(reply)}`);
  return url;
}

/** Our server's route for a link that names the public base URL. */
export function local(bot: TestBot, publicUrl: string): string {
  const u = new URL(publicUrl);
  return `${bot.url}${u.pathname}${u.search}`;
}

export async function openStart(bot: TestBot, startUrl: string): Promise<Response> {
  return fetch(local(bot, startUrl), { redirect: 'manual' });
}

/** The sandbox login page: pick a user and answer the MFA request. Returns the redirect back to the bot. */
export async function signInAtEntra(
  bot: TestBot,
  authorizeUrl: string,
  user = ALEX,
  decision: 'approve' | 'deny' | 'nomfa' = 'approve',
): Promise<string> {
  const http = new HttpsClient({ extraCaPem: bot.caPem });
  const page = await http.request(authorizeUrl);
  const interaction = /name="interaction" value="([^"]+)"/.exec(page.body)?.[1];
  if (page.status !== 200 || !interaction) throw new Error(`login page: ${page.status} ${page.body.slice(0, 200)}`);
  const form = new URLSearchParams({ interaction, oid: user.oid, decision });
  const posted = await http.request(new URL(new URL(authorizeUrl).pathname, authorizeUrl).toString(), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  const location = posted.headers.location;
  if (posted.status !== 302 || !location) throw new Error(`login decision: ${posted.status}`);
  return location;
}

export interface CallbackResult {
  status: number;
  html: string;
  /** The 6-digit code (typed-code page) or the Teams verification code (data-code). */
  code?: string;
}

export async function callback(bot: TestBot, callbackUrl: string): Promise<CallbackResult> {
  const res = await fetch(local(bot, callbackUrl));
  const html = await res.text();
  const code = /id="binding-code">(\d{6})</.exec(html)?.[1] ?? /data-code="([^"]+)"/.exec(html)?.[1];
  return { status: res.status, html, code };
}

/** Everything up to the page the browser shows after Entra. */
export async function signInThroughBrowser(
  bot: TestBot,
  chat: Partial<Activity>,
  user = ALEX,
  decision: 'approve' | 'deny' | 'nomfa' = 'approve',
): Promise<CallbackResult> {
  const start = await openStart(bot, await requestSignIn(bot, chat));
  const location = start.headers.get('location');
  if (start.status !== 302 || !location) throw new Error(`/auth/start answered ${start.status}`);
  return callback(bot, await signInAtEntra(bot, location, user, decision));
}

/** The grant record for a chat, read straight from storage (no grant = undefined). */
export async function grantFor(bot: TestBot, chat: Partial<Activity>): Promise<unknown> {
  const { createHash } = await import('node:crypto');
  const id = createHash('sha256').update(`msteams\n${chat.from?.id}\n${chat.conversation?.id}`).digest('base64url');
  const key = `stepup/grant/${id}`;
  return (await bot.app.storage.read([key]))[key];
}

/** The newest sign-in card the bot sent in this chat, completed in the browser as `user`, the code typed back. */
export async function signInFromLastCard(bot: TestBot, chat: Partial<Activity>, user = ALEX): Promise<void> {
  const isSignIn = (c: { conversationId?: string; body: unknown }) =>
    c.conversationId === chat.conversation?.id && /auth\/start\?s=/.test(JSON.stringify(c.body));
  await bot.connector.waitFor(isSignIn);
  const card = bot.connector.calls.filter(isSignIn).at(-1) as { body: unknown };
  const url = /(https?:\/\/[^"]+\/auth\/start\?s=[^"]+)/.exec(JSON.stringify(card.body))?.[1] as string;
  const start = await openStart(bot, url);
  const page = await callback(bot, await signInAtEntra(bot, start.headers.get('location') as string, user));
  await exchange(bot, { ...chat, text: page.code });
}
