// Plays Slack against the running sandbox, for trying the Slack side without a workspace. It signs requests the way
// Slack does (so the bot's Bolt verifies them), sends them to POST /api/slack/events, and prints the Block Kit the bot
// sent back through the sandbox's Slack Web API simulator.
//
//   npm run slack -- "change my MFA phone"           a direct message from Alex (UALEX)
//   npm run slack -- --press "Verify it's you"       press the newest button with that text
//   npm run slack -- --number "+1 425 555 0177"      submit the newest number modal (after "Enter the new number")
//   npm run slack -- --code 123456                   submit the newest code modal (after "Enter the code")
//   npm run slack -- --show                          the last three messages the bot posted to the DM
//   npm run slack -- --home                          open Proofup's Home tab (prints the view the bot published)
//   npm run slack -- --home --press "Set up a passkey"   press a button on the Home tab (it continues in the DM)
//   npm run slack -- --shortcut                      choose the shortcut "Change my sign-in methods"
//   npm run slack -- --as UADELE "help"              someone else (UALEX, UMEGAN, UADELE, UISAIAH, UPATTI)
//   npm run slack -- --as UMEGAN --in C0HELPDESK --press "Take it"
//                                                    press a button in the helpdesk channel (--show works there too)
//
// The sandbox must run with Slack on: SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN set (any values of the right shape,
// the same here), e.g. SLACK_SIGNING_SECRET=sandbox-signing-secret-0123 SLACK_BOT_TOKEN=xoxb-sandbox npm start
import { createHmac, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    as: { type: 'string', default: 'UALEX' },
    press: { type: 'string' },
    number: { type: 'string' },
    code: { type: 'string' },
    show: { type: 'boolean', default: false },
    home: { type: 'boolean', default: false },
    shortcut: { type: 'boolean', default: false },
    country: { type: 'string', default: 'US' },
    in: { type: 'string' },
  },
});
const secret = process.env.SLACK_SIGNING_SECRET;
if (!secret || !(process.env.SLACK_BOT_TOKEN || process.env.SLACK_STATE_SECRET)) {
  process.stderr.write(
    'Set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN (or SLACK_STATE_SECRET, with OAuth installs) to the values the sandbox runs with.\n',
  );
  process.exit(2);
}
const bot = `http://127.0.0.1:${process.env.PORT ?? '3978'}/api/slack/events`;
const slack = `http://127.0.0.1:${process.env.SANDBOX_SLACK_PORT ?? '3983'}`;
const user = values.as as string;
const channel = values.in ?? `D${user.slice(1)}`;
const team = 'T0SANDBOX';

type Call = { method: string; args: Record<string, unknown> };
const calls = async (): Promise<Call[]> =>
  ((await (await fetch(`${slack}/_sandbox/calls`)).json()) as { calls: Call[] }).calls;

async function send(body: string, contentType: string): Promise<void> {
  const ts = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', secret as string)
    .update(`v0:${ts}:${body}`)
    .digest('hex')}`;
  const res = await fetch(bot, {
    method: 'POST',
    headers: { 'content-type': contentType, 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signature },
    body,
  });
  const text = await res.text();
  process.stdout.write(`→ POST /api/slack/events: HTTP ${res.status}${text ? ` ${text}` : ''}\n`);
}

const form = (payload: object) => new URLSearchParams({ payload: JSON.stringify(payload) }).toString();

async function main(): Promise<void> {
  if (values.show) {
    // What the bot posted to this DM lately (e.g. after a sign-in finished in the browser).
    const recent = (await calls()).filter((c) => c.args.channel === channel).slice(-3);
    for (const call of recent)
      process.stdout.write(
        `\n← ${call.method} ${channel}\n${JSON.stringify(call.args.blocks ?? call.args.text, null, 2)}\n`,
      );
    return;
  }
  const before = (await calls()).length;
  const trigger = async () =>
    ((await (await fetch(`${slack}/_sandbox/trigger`)).json()) as { trigger_id: string }).trigger_id;
  type Element = { text?: { text?: string }; value?: string; url?: string; action_id?: string };
  if (values.shortcut) {
    await send(
      form({
        type: 'shortcut',
        team: { id: team },
        user: { id: user, team_id: team },
        callback_id: 'proofup.change',
        trigger_id: await trigger(),
      }),
      'application/x-www-form-urlencoded',
    );
  } else if (values.home && !values.press) {
    await send(
      JSON.stringify({
        type: 'event_callback',
        team_id: team,
        event_id: `Ev${randomUUID().slice(0, 12)}`,
        event: { type: 'app_home_opened', user, channel, tab: 'home' },
      }),
      'application/json',
    );
  } else if (values.press) {
    // The newest button with that text: in the conversation's messages, or on the Home tab this user was shown.
    const shown = (await calls()).filter((c) =>
      values.home
        ? c.method === 'views.publish' && c.args.user_id === user
        : (c.method === 'chat.postMessage' || c.method === 'chat.update') && c.args.channel === channel,
    );
    const buttons = shown
      .flatMap(
        (c) =>
          ((values.home ? (c.args.view as { blocks?: unknown[] })?.blocks : c.args.blocks) as {
            elements?: Element[];
          }[]) ?? [],
      )
      .flatMap((b) => b.elements ?? []);
    const hit = buttons.reverse().find((e) => e.text?.text === values.press);
    if (!hit) throw new Error(`no button "${values.press}" in ${channel}`);
    if (hit.url) process.stdout.write(`This button opens ${hit.url} in a browser: open it there.\n`);
    // As Slack sends it: the button's own action_id (Proofup routes by it), and no channel for a Home tab press.
    await send(
      form({
        type: 'block_actions',
        team: { id: team },
        user: { id: user, team_id: team },
        ...(values.home ? { view: { id: 'VHOME', type: 'home' } } : { channel: { id: channel } }),
        trigger_id: await trigger(),
        actions: [{ type: 'button', action_id: hit.action_id ?? 'x', block_id: 'b', value: hit.value }],
      }),
      'application/x-www-form-urlencoded',
    );
  } else if (values.number || values.code) {
    const modal = (await calls()).filter((c) => c.method === 'views.open').pop()?.args.view as {
      callback_id: string;
      private_metadata: string;
    };
    if (!modal) throw new Error('no modal open: press "Enter the new number" or "Enter the code" first');
    const state = values.code
      ? { code: { code: { type: 'plain_text_input', value: values.code } } }
      : {
          country: { country: { type: 'static_select', selected_option: { value: values.country } } },
          number: { number: { type: 'plain_text_input', value: values.number } },
        };
    await send(
      form({
        type: 'view_submission',
        team: { id: team },
        user: { id: user, team_id: team },
        view: {
          id: 'V1',
          callback_id: modal.callback_id,
          private_metadata: modal.private_metadata,
          state: { values: state },
        },
      }),
      'application/x-www-form-urlencoded',
    );
  } else {
    const text = positionals.join(' ') || 'help';
    await send(
      JSON.stringify({
        type: 'event_callback',
        team_id: team,
        event_id: `Ev${randomUUID().slice(0, 12)}`,
        event: { type: 'message', channel_type: 'im', channel, user, text, ts: `${Date.now() / 1000}` },
      }),
      'application/json',
    );
  }
  // What the bot sent back (it answers after the ack).
  await new Promise((r) => setTimeout(r, 1500));
  for (const call of (await calls()).slice(before)) {
    process.stdout.write(`\n← ${call.method} ${call.args.channel ?? ''}\n`);
    process.stdout.write(
      `${JSON.stringify(call.args.view ?? call.args.blocks ?? call.args.text ?? call.args, null, 2)}\n`,
    );
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
});
