// The helpdesk in Slack, over signed Slack requests against the sandbox bot: Patti (Slack, linked) asks the helpdesk →
// a card in SLACK_HELPDESK_CHANNEL → Megan presses Take it → her own sign-in in her DM (it links her Slack user) → the
// card says taken for everyone → "Hand to the bot" → a reason → the invitation in Patti's Slack DM → Patti's own
// change, while Megan's one status message moves. Refused: a non-agent's Take it, the asker's own request, a Start
// pressed by someone else, a handoff of an unlinked Slack user. Nothing about it is said in the channel except the card.
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../src/sandbox/entra/demo-directory.js';
import type { SlackApiSimulator } from '../../src/sandbox/slack/slack-api-simulator.js';
import { ALEX_W, chatUser, flowChat } from '../helpers/flow-chat.js';
import { buttonUrl, buttonValue, slackChat, textOf, useSlackSandbox, valueOfAction } from '../helpers/slack-chat.js';
import {
  blockAction,
  dm,
  FORM,
  JSON_TYPE,
  postToSlackEndpoint,
  type SlackSender,
  viewSubmission,
} from '../helpers/slack-requests.js';
import { exchange, personal, signInFromLastCard } from '../helpers/step-up-flow.js';
import type { TestBot } from '../helpers/test-bot.js';

const SECRET = 'slack-signing-secret-helpdesk-0123456789';
const TOKEN = 'xoxb-sandbox-helpdesk-0123';
const HELPDESK = 'C0HELPDESK';
const person = (first: string) => DEMO_USERS.find((u) => u.name.startsWith(first)) as (typeof DEMO_USERS)[number];
const [MEGAN, ADELE, PATTI, ALEX] = [person('Megan'), person('Adele'), person('Patti'), person('Alex')];
const ctx = useSlackSandbox(SECRET, TOKEN);
let bot: TestBot;
let slack: SlackApiSimulator;
let to: SlackSender;
beforeAll(() => {
  ({ bot, slack, to } = ctx);
});

const { shown, ephemeral, browserSignIn } = slackChat(
  () => slack,
  () => bot,
);
const say = (user: string, text: string) => postToSlackEndpoint(to, dm(user, text), JSON_TYPE);
const press = (user: string, channel: string, value: string) =>
  postToSlackEndpoint(to, blockAction(user, channel, value, slack.trigger()), FORM);
const ephemeralTo = (user: string, pattern: RegExp, from: number) => ephemeral(HELPDESK, user, pattern, from);
/** The n-th modal the bot opened since `from`. */
async function modal(n: number, from: number) {
  const opened = () => slack.calls.slice(from).filter((c) => c.method === 'views.open');
  await expect.poll(() => opened().length, { timeout: 5000 }).toBeGreaterThanOrEqual(n);
  return opened()[n - 1]?.args.view as { callback_id: string; private_metadata: string };
}
const auditOf = async (action: string) =>
  (await bot.app.audit.since(new Date(Date.now() - 600_000))).filter((r) => r.action === action);

/** A Slack user's first sign-in from their DM (it links them to `entra`); the flow it starts is cancelled. */
async function link(user: string, entra: (typeof DEMO_USERS)[number]) {
  const channel = `D${user.slice(1)}`;
  const from = slack.calls.length;
  await say(user, 'change my mobile number');
  await press(user, channel, valueOfAction(await shown(channel, /"action_id":"stepUp\.start:/, from), 'stepUp.start'));
  const page = await browserSignIn(buttonUrl(await shown(channel, /auth\/start/, from)), user, entra);
  expect(page.status).toBe(200);
  await shown(channel, new RegExp(`Verified as ${entra.name}`), from);
}

/** Patti asks the helpdesk from her DM; resolves the card posted in the helpdesk channel. */
async function pattiAsks(from: number) {
  await say('UPATTI', 'I want to talk to a human');
  const offer = await shown('DPATTI', /Ask the helpdesk/, from);
  await press('UPATTI', 'DPATTI', buttonValue(offer, /Ask the helpdesk/));
  await shown('DPATTI', /I've asked the helpdesk/, from);
  return shown(HELPDESK, /Help requested: Patti Fernandez/, from);
}

describe('the helpdesk in Slack', () => {
  let card: Record<string, unknown>;

  it('a person asks from their DM: a card with Take it in the Slack helpdesk channel, what the agent needs, no number', async () => {
    await link('UPATTI', PATTI);
    const from = slack.calls.length;
    card = await pattiAsks(from);
    const text = textOf(card);
    expect(text).toContain('Take it');
    expect(text).toContain('pattif@contoso.test'); // she signed in: the card names her verified account
    expect(text).toMatch(/Identity\*\\nSigned in with MFA at \d\d:\d\d/);
    expect(text).toMatch(/Slack/);
    // None of her numbers, in any spelling.
    const phones = Object.values(bot.graph.users.get(PATTI.oid)?.phones ?? {}).filter(Boolean) as string[];
    expect(phones.length).toBeGreaterThan(0);
    for (const phone of phones) expect(text.replace(/\D/g, '')).not.toContain(phone.replace(/\D/g, '').slice(-7));
    expect((await auditOf('escalated')).some((r) => r.actorOid === PATTI.oid && r.channel === 'slack')).toBe(true);
  });

  it('the asker cannot take their own request; a non-agent is refused (audited) — both told only to themselves', async () => {
    const from = slack.calls.length;
    await press('UPATTI', HELPDESK, buttonValue(card, /Take it/));
    await ephemeralTo('UPATTI', /This request is about you/, from);
    await link('UADELE', ADELE);
    const after = slack.calls.length;
    await press('UADELE', HELPDESK, buttonValue(card, /Take it/));
    await ephemeralTo('UADELE', /Only members of the helpdesk group/, after);
    expect((await auditOf('escalationTaken')).some((r) => r.actorOid === ADELE.oid && r.result === 'refused')).toBe(
      true,
    );
    // Nothing but the card was ever posted in the channel.
    const public_ = slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === HELPDESK);
    expect(public_).toHaveLength(1);
  });

  it('Take it → the agent signs in in her DM (linking Megan) → the card says taken for everyone', async () => {
    const from = slack.calls.length;
    await press('UMEGAN', HELPDESK, buttonValue(card, /Take it/));
    await ephemeralTo('UMEGAN', /I sent you one in our DM/, from);
    const signIn = await shown('DMEGAN', /auth\/start/, from);
    const page = await browserSignIn(buttonUrl(signIn), 'UMEGAN', MEGAN);
    expect(page.status).toBe(200);
    await shown('DMEGAN', /Verified as Megan Bowen/, from);
    await shown('DMEGAN', /You took Patti Fernandez's request/, from);
    const updated = await shown(HELPDESK, /Taken by Megan Bowen/, from, /^chat\.update$/);
    expect(textOf(updated)).toContain('Hand to the bot');
    expect(textOf(updated)).not.toContain('Take it');
    const taken = (await auditOf('escalationTaken')).filter((r) => r.actorOid === MEGAN.oid && r.result === 'done');
    expect(taken).toHaveLength(1);
    expect(taken[0]).toMatchObject({ subjectOid: PATTI.oid, channel: 'slack' });
    card = updated;
  });

  it('Hand to the bot → a reason → the invitation in Patti’s Slack DM; someone else’s Start does nothing; her change', async () => {
    const from = slack.calls.length;
    await press('UMEGAN', HELPDESK, buttonValue(card, /Hand to the bot/));
    await ephemeralTo('UMEGAN', /I sent you the handoff for Patti Fernandez/, from);
    const why = await shown('DMEGAN', /Hand Patti Fernandez to me/, from);
    await press('UMEGAN', 'DMEGAN', buttonValue(why, /New phone number/));
    await shown('DMEGAN', /Handoff to Patti Fernandez.*Invitation sent/, from);
    const invite = await shown('DPATTI', /The helpdesk asked me to help you/, from);
    expect(textOf(invite)).toContain('Megan Bowen');

    // Adele replays Patti's Start in her own DM: refused, nothing moves.
    await press('UADELE', 'DADELE', buttonValue(invite, /^Start$/));
    await shown('DADELE', /This invitation is for someone else/, from);

    await press('UPATTI', 'DPATTI', buttonValue(invite, /^Start$/));
    await shown('DPATTI', /This invitation is closed/, from, /^chat\.update$/);
    // Her sign-in from before is still live: the change starts at the new number.
    const entry = await shown('DPATTI', /Enter the new number/, from);
    await shown('DMEGAN', /Handoff to Patti Fernandez.*Signed in/, from);
    await press('UPATTI', 'DPATTI', buttonValue(entry, /Enter the new number/));
    const view = await modal(1, from);
    await postToSlackEndpoint(
      to,
      viewSubmission(
        'UPATTI',
        view.callback_id,
        view.private_metadata,
        { country: 'US', number: '(425) 555-0166', channel: 'sms' },
        ['country', 'channel'],
      ),
      FORM,
    );
    const codeCard = await shown('DPATTI', /Enter the code/, from);
    await shown('DMEGAN', /Handoff to Patti Fernandez.*A code was sent/, from);
    const sms = bot.outbox.lastSmsTo('+14255550166') as { text: string };
    const code = /^(\d{6}) /.exec(sms.text)?.[1] as string;
    await press('UPATTI', 'DPATTI', buttonValue(codeCard, /Enter the code/));
    const codeView = await modal(2, from);
    await postToSlackEndpoint(
      to,
      viewSubmission('UPATTI', codeView.callback_id, codeView.private_metadata, { code }),
      FORM,
    );
    await press('UPATTI', 'DPATTI', buttonValue(await shown('DPATTI', /Confirm the change/, from), /^Confirm$/));
    await shown('DPATTI', /Done/, from);
    await shown('DMEGAN', /Handoff to Patti Fernandez.*Changed/, from);
    expect(bot.graph.users.get(PATTI.oid)?.phones.mobile).toBe('+1 4255550166');

    // One status message, replaced in place; the agent never saw the number or the code.
    const statusPosts = slack.calls.filter(
      (c) => c.method === 'chat.postMessage' && c.args.channel === 'DMEGAN' && /Handoff to/.test(textOf(c.args)),
    );
    expect(statusPosts).toHaveLength(1);
    const toMegan = JSON.stringify(slack.calls.filter((c) => c.args.channel === 'DMEGAN').map((c) => c.args));
    expect(toMegan).not.toMatch(/4255550166|555-0166/);
    expect(toMegan).not.toContain(code);
    const started = (await auditOf('handoffStarted')).filter((r) => r.actorOid === MEGAN.oid);
    expect(started).toEqual([expect.objectContaining({ subjectOid: PATTI.oid, channel: 'slack', result: 'done' })]);
  });

  it('an agent types "help <e-mail>" in their DM: the invitation goes to the person\'s Slack DM; a non-agent is refused', async () => {
    const from = slack.calls.length;
    await say('UADELE', 'help pattif@contoso.test');
    await shown('DADELE', /Only helpdesk agents can hand someone to me/, from);
    expect(
      (await auditOf('handoffStarted')).some(
        (r) => r.actorOid === ADELE.oid && r.result === 'refused' && r.channel === 'slack',
      ),
    ).toBe(true);
    await say('UMEGAN', 'hand off');
    await shown('DMEGAN', /say "help" followed by their e-mail address/, from);
    // Megan's helpdesk sign-in from taking Patti's request is still live: no second sign-in.
    await say('UMEGAN', 'help pattif@contoso.test');
    await shown('DMEGAN', /Handoff to Patti Fernandez.*Invitation sent/, from);
    const invite = await shown('DPATTI', /The helpdesk asked me to help you/, from);
    await press('UPATTI', 'DPATTI', buttonValue(invite, /I didn't ask for this/));
    await shown('DPATTI', /Thank you for telling me/, from);
    await shown('DMEGAN', /Handoff to Patti Fernandez.*did not ask for this/, from);
    expect(slack.calls.slice(from).some((c) => c.args.channel === 'DMEGAN' && /auth\/start/.test(textOf(c.args)))).toBe(
      false,
    );
  });

  it('a request from a Slack user not linked to Entra: taken, but the handoff says why it cannot invite them', async () => {
    const from = slack.calls.length;
    await say('UISAIAH', 'I lost my phone');
    await press(
      'UISAIAH',
      'DISAIAH',
      buttonValue(await shown('DISAIAH', /Ask the helpdesk/, from), /Ask the helpdesk/),
    );
    const isaiahCard = await shown(HELPDESK, /Help requested: Isaiah Langer/, from);
    expect(textOf(isaiahCard)).toContain('Not verified: the name is what Slack shows');
    await press('UMEGAN', HELPDESK, buttonValue(isaiahCard, /Take it/));
    await shown('DMEGAN', /You took Isaiah Langer's request/, from);
    await press('UMEGAN', HELPDESK, buttonValue(await shown(HELPDESK, /Taken by Megan/, from), /Hand to the bot/));
    await ephemeralTo('UMEGAN', /not linked to an Entra account/, from);
  });

  it('a pass for someone on Slack only: asked in their Slack DM, their own sign-in, the pass there once; Alex sees "issued"', async () => {
    const alex = personal('a:slack-pass-alex', chatUser(ALEX_W));
    const first = await exchange(bot, { ...alex, text: 'temporary access pass for adelev@contoso.test' });
    expect(first.text).toBe("A Temporary Access Pass needs your own sign-in with the helpdesk's stronger check first.");
    await signInFromLastCard(bot, alex, ALEX_W);
    const attest = await flowChat(bot, 'slack-pass').shownIn(alex, /Issue the pass/);
    const requestId = /"requestId":"([0-9a-f-]{36})"/.exec(JSON.stringify(attest.body))?.[1] as string;
    const from = slack.calls.length;
    await exchange(bot, {
      ...alex,
      text: undefined,
      value: {
        action: 'helpdesk.tapAttest',
        requestId,
        method: 'video',
        note: 'badge on camera',
        checkedMyself: 'yes',
        way: 'step-up',
      },
    });
    // Adele has no Teams chat with the bot here: the request reaches her Slack DM (her linked Slack user).
    const ask = await shown('DADELE', /The helpdesk is issuing you a Temporary Access Pass/, from);

    // Megan replays Adele's button in her own DM: refused before any sign-in.
    await press('UMEGAN', 'DMEGAN', buttonValue(ask, /Verify it's me/));
    await shown('DMEGAN', /someone else/i, from);
    expect(slack.calls.slice(from).some((c) => c.args.channel === 'DMEGAN' && /auth\/start/.test(textOf(c.args)))).toBe(
      false,
    );

    await press('UADELE', 'DADELE', buttonValue(ask, /Verify it's me/));
    const page = await browserSignIn(buttonUrl(await shown('DADELE', /auth\/start/, from)), 'UADELE', ADELE);
    expect(page.status).toBe(200);
    const issued = bot.graph.helpdesk.passes.at(-1);
    expect(issued?.oid).toBe(ADELE.oid);
    const pass = issued?.pass as string;
    const shownPass = await shown('DADELE', /Your Temporary Access Pass/, from);
    expect(JSON.stringify(shownPass.blocks)).toContain(JSON.stringify(pass).slice(1, -1));
    expect(String(shownPass.text)).not.toContain(pass); // never in the notification text
    await flowChat(bot, 'slack-pass').shownIn(alex, /Issued: Adele Vance verified it's them/);
    // The pass went nowhere but Adele's DM: not to Alex's chat, not to the helpdesk channel, not in a log.
    const elsewhere = slack.calls.filter((c) => c.args.channel !== 'DADELE');
    expect(JSON.stringify(elsewhere)).not.toContain(pass);
    expect(JSON.stringify(bot.connector.calls)).not.toContain(pass);
    expect(bot.logs.join('\n')).not.toContain(pass);

    await press('UADELE', 'DADELE', buttonValue(shownPass, /Hide the pass/));
    const hidden = await shown('DADELE', /shown once and is hidden now/, from, /^chat\.update$/);
    expect(JSON.stringify(hidden)).not.toContain(pass);
  });

  it('a reminder campaign reaches people who use Slack in their Slack DM; their answers count, "don\'t remind me" is kept', async () => {
    // Only the sandbox's five people: Megan and Adele sign in by phone only, both linked in Slack, neither in Teams.
    const workforce = bot.graph.registrations.workforce;
    workforce.splice(0, workforce.length);
    const alex = personal('a:slack-campaign-alex', chatUser(ALEX_W));
    const first = await exchange(bot, { ...alex, text: 'remind phone-only users' });
    expect(first.text).toMatch(/sign-in/);
    await signInFromLastCard(bot, alex, ALEX_W);
    const card = await flowChat(bot, 'slack-campaign').shownIn(alex, /Start reminders/);
    const campaignId = /"campaignId":"([0-9a-f-]{36})"/.exec(JSON.stringify(card.body))?.[1] as string;
    const from = slack.calls.length;
    await exchange(bot, { ...alex, text: undefined, value: { action: 'campaign.start', campaignId } });
    const toAdele = await shown('DADELE', /Your sign-in needs a passkey before February/, from);
    const toMegan = await shown('DMEGAN', /Your sign-in needs a passkey before February/, from);
    expect(textOf(toAdele)).toContain('Alex Wilber');

    await press('UADELE', 'DADELE', buttonValue(toAdele, /Don't remind me/));
    await shown('DADELE', /no more reminders from me/, from);
    expect((await bot.app.storage.read([`reminder-optout/${ADELE.oid}`]))[`reminder-optout/${ADELE.oid}`]).toBeTruthy();
    await press('UMEGAN', 'DMEGAN', buttonValue(toMegan, /Set up a passkey now/));
    // Her own sign-in first (the helpdesk one from before does not count for her own change).
    await shown('DMEGAN', /auth\/start|still verified/i, from);
    await expect
      .poll(async () => {
        const c = (await bot.app.storage.read([`campaign/${campaignId}`]))[`campaign/${campaignId}`] as {
          counts: Record<string, number>;
        };
        return [c.counts.sent, c.counts['opted-out'], c.counts.passkey];
      })
      .toEqual([2, 1, 1]);
    // Nothing went to a Teams chat for them: they were reached where they talk to the bot.
    expect(bot.connector.calls.filter((c) => /Your sign-in needs a passkey/.test(JSON.stringify(c.body)))).toEqual([]);
  });

  it('"remind phone-only users" from an agent\'s Slack DM: the campaign there, Start, the reminders, the message moves', async () => {
    const from = slack.calls.length;
    await say('UADELE', 'remind phone-only users');
    await shown('DADELE', /Only helpdesk agents/, from);
    // Megan's helpdesk sign-in is still live. In scope: Megan herself (phone only); Adele said "don't remind me".
    await say('UMEGAN', 'remind phone-only users');
    const ready = await shown('DMEGAN', /Start reminders/, from);
    expect(textOf(ready)).toContain('Ready: 1 people will each get one reminder in their own chat.');
    const start = buttonValue(ready, /Start reminders/);
    // Someone else pressing Megan's Start (a forwarded value) starts nothing.
    await press('UADELE', 'DADELE', start);
    await shown('DADELE', /Only helpdesk agents/, from);
    const started = slack.calls.length;
    await press('UMEGAN', 'DMEGAN', start);
    const reminder = await shown('DMEGAN', /Your sign-in needs a passkey before February/, started);
    expect(reminder.metadata).toMatchObject({ event_type: 'proofup_reminder' });
    const done = await shown('DMEGAN', /Done: 1 of 1/, started, /^chat\.update$/);
    // Updated in place: the simulator answers message_not_found for an update of any other message.
    expect(slack.messages.has(`DMEGAN/${String(done.ts)}`)).toBe(true);
    expect(textOf(done)).not.toContain('Start reminders');
    const toAdele = slack.calls
      .slice(started)
      .filter((c) => c.args.channel === 'DADELE' && /passkey before February/.test(textOf(c.args)));
    expect(toAdele).toHaveLength(0);
    // The agent's campaign message stayed in Slack: nothing in a Teams chat.
    expect(bot.connector.calls.slice(-5).some((c) => /Start reminders|Done: 1 of 1/.test(JSON.stringify(c.body)))).toBe(
      false,
    );
  });

  it('"readiness" in an agent\'s Slack DM: the counts as text; "readiness names" paged and audited; not for others', async () => {
    const from = slack.calls.length;
    await say('UADELE', 'readiness');
    await shown('DADELE', /Only helpdesk agents/, from);
    // Megan's helpdesk sign-in is still live: the report at once.
    await say('UMEGAN', 'readiness');
    const report = await shown('DMEGAN', /Passkey or other phishing-resistant|phishing-resistant/i, from);
    const text = textOf(report);
    expect(text).toContain('*Only a phone (text or call)*: 2 (40%)'); // Megan and Adele, of the five
    expect(text).toMatch(/days left until February 1, 2027/);
    expect(text).not.toMatch(/@contoso\.test/); // counts only
    await say('UMEGAN', 'readiness names');
    const names = await shown('DMEGAN', /Only by phone: \d+ people/, from);
    expect(textOf(names)).toMatch(/adelev@contoso\.test/);
    const audit = (await auditOf('readinessReport')).filter((r) => r.actorOid === MEGAN.oid && r.channel === 'slack');
    expect(audit.some((r) => /^names: phone-only 1-/.test(r.reason ?? ''))).toBe(true);
    expect((await auditOf('readinessReport')).some((r) => r.actorOid === ADELE.oid && r.result === 'refused')).toBe(
      true,
    );
  });

  it('"tap <e-mail>" from Slack: the agent\'s strong sign-in, the attestation modal (errors keep it open), then the person verifies and sees the pass', async () => {
    const from = slack.calls.length;
    await say('UMEGAN', 'tap adelev@contoso.test');
    // Megan's earlier helpdesk sign-in lacks the stronger auth context (c2): a new one, in her DM.
    await shown('DMEGAN', /stronger check first/, from);
    const signIn = await shown('DMEGAN', /auth\/start/, from);
    expect((await browserSignIn(buttonUrl(signIn), 'UMEGAN', MEGAN)).status).toBe(200);
    const attest = await shown('DMEGAN', /Temporary Access Pass for Adele Vance/, from);
    const triggerAt = slack.calls.length;
    await press('UMEGAN', 'DMEGAN', buttonValue(attest, /Issue the pass/));
    const view = await modal(1, triggerAt);
    // Nothing ticked, no note: the modal stays open with the reasons, nothing recorded.
    const bad = await postToSlackEndpoint(
      to,
      viewSubmission(
        'UMEGAN',
        view.callback_id,
        view.private_metadata,
        { method: '', note: '', confirm: '' },
        ['method'],
        ['confirm'],
      ),
      FORM,
    );
    expect(JSON.parse(bad.text)).toMatchObject({ response_action: 'errors', errors: { note: expect.any(String) } });
    const filledIn = (user: string) =>
      postToSlackEndpoint(
        to,
        viewSubmission(
          user,
          view.callback_id,
          view.private_metadata,
          { method: 'video', note: 'badge on camera', way: 'step-up', confirm: 'yes' },
          ['method', 'way'],
          ['confirm'],
        ),
        FORM,
      );
    // Someone else submitting Megan's modal context does nothing.
    expect((await filledIn('UADELE')).text).toBe('');
    await new Promise((r) => setTimeout(r, 300));
    expect(slack.calls.slice(from).some((c) => /I asked Adele Vance to verify/.test(textOf(c.args)))).toBe(false);
    const passesBefore = bot.graph.helpdesk.passes.length;
    expect((await filledIn('UMEGAN')).text).toBe('');
    await shown('DMEGAN', /I asked Adele Vance to verify it's them/, from);
    const ask = await shown('DADELE', /The helpdesk is issuing you a Temporary Access Pass/, from);
    const verifyAt = slack.calls.length;
    await press('UADELE', 'DADELE', buttonValue(ask, /Verify it's me/));
    const adeleSignIn = await shown('DADELE', /auth\/start/, verifyAt);
    expect((await browserSignIn(buttonUrl(adeleSignIn), 'UADELE', ADELE)).status).toBe(200);
    await shown('DADELE', /Your Temporary Access Pass/, from);
    expect(bot.graph.helpdesk.passes.length).toBe(passesBefore + 1);
    const pass = bot.graph.helpdesk.passes.at(-1)?.pass as string;
    await shown('DMEGAN', /Issued: Adele Vance verified it's them/, from);
    expect(JSON.stringify(slack.calls.filter((c) => c.args.channel === 'DMEGAN'))).not.toContain(pass);
    const audit = (await auditOf('tapIssued')).filter((r) => r.actorOid === MEGAN.oid && r.event === 'issued');
    expect(audit).toHaveLength(1);
    expect(audit[0]?.reason).toContain('attested: video (badge on camera)');
  });
});

describe('two agents take the same Slack request at once', () => {
  it('exactly one takes it (one audit record, one "Taken by"); the other is told who did', async () => {
    await link('UALEX', ALEX);
    const from = slack.calls.length;
    const card = await pattiAsks(from);
    const id = JSON.parse(buttonValue(card, /Take it/)).escalationId as string;
    // Alex has no helpdesk sign-in yet: his press sends him one. Megan's from before still holds.
    await press('UALEX', HELPDESK, buttonValue(card, /Take it/));
    const alexLink = buttonUrl(await shown('DALEX', /auth\/start/, from));
    // Megan presses while Alex finishes his sign-in: both reach "take" together.
    const [megan, alex] = await Promise.all([
      press('UMEGAN', HELPDESK, buttonValue(card, /Take it/)),
      browserSignIn(alexLink, 'UALEX', ALEX),
    ]);
    expect([megan.status, alex.status]).toEqual([200, 200]);
    // The escalation's audit records carry its id as their flowId.
    const taken = async () => (await auditOf('escalationTaken')).filter((r) => r.result === 'done' && r.flowId === id);
    await expect.poll(async () => (await taken()).length, { timeout: 10_000 }).toBe(1);
    const won = (await taken())[0];
    const winner = won?.actorOid === MEGAN.oid ? 'Megan Bowen' : 'Alex Wilber';
    expect([MEGAN.oid, ALEX.oid]).toContain(won?.actorOid);
    expect(['Megan Bowen', 'Alex Wilber']).toContain(winner);
    await shown(HELPDESK, new RegExp(`Taken by ${winner}`), from, /^chat\.update$/);
    // The other one hears who did — ephemerally in the channel (Megan) or in his DM (Alex).
    const loser = winner === 'Megan Bowen' ? 'UALEX' : 'UMEGAN';
    await expect
      .poll(() =>
        slack.calls
          .slice(from)
          .some(
            (c) =>
              (c.args.user === loser || c.args.channel === `D${loser.slice(1)}`) &&
              new RegExp(`${winner} has already taken this request`).test(textOf(c.args)),
          ),
      )
      .toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(await taken()).toHaveLength(1);
    const updates = slack.calls
      .slice(from)
      .filter((c) => c.method === 'chat.update' && c.args.channel === HELPDESK && /Taken by/.test(textOf(c.args)));
    expect(new Set(updates.map((u) => /Taken by ([A-Za-z ]+?) at/.exec(textOf(u.args))?.[1]))).toEqual(
      new Set([winner]),
    );
  });
});
