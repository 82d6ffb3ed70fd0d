// Every view of the change flow as Slack Block Kit, in every language: within Slack's limits (50 blocks; header 150,
// button text 75, button value 2000, action_id 255 characters; at most 25 elements per actions block, 10 fields per
// section), no Adaptive Card and no image; and an old step loses its buttons.
import { describe, expect, it } from 'vitest';
import { type Block, mrkdwn } from '../../src/channels/slack/blocks.js';
import { blocksOf, SlackPresenter } from '../../src/channels/slack/slack-presenter.js';
import { SlackWorkspaces } from '../../src/channels/slack/slack-workspaces.js';
import { type Effect, type Flow, PASSKEY_DEVICES, PASSKEY_PROBLEMS } from '../../src/flow/flow.js';
import { checkPasskey, choosePasskeyDevice, passkeyHelp, startPasskey } from '../../src/flow/passkey-steps.js';
import { phoneEntryView, securityInfoView, speechOf, type View } from '../../src/flow/views.js';
import type { SecurityInfo } from '../../src/graph/auth-methods.js';
import { LANGUAGES } from '../../src/i18n/i18n.js';

const FLOW = '7d3c1f9e-2b4a-4c6d-8e0f-1a2b3c4d5e6f';
const info: SecurityInfo = {
  phones: { mobile: '+1 4255550100', office: '+1 4255550199x12' },
  others: ['microsoftAuthenticator'],
  listed: [{ kind: 'microsoftAuthenticator', name: 'Pixel 8' }],
  defaultMethod: 'sms',
  systemPreferredEnabled: false,
};

function views(lang: (typeof LANGUAGES)[number]): View[] {
  const sp = speechOf({ lang });
  return [
    { name: 'notice', text: 'This step is closed.' },
    { name: 'security-info', model: { ...securityInfoView(FLOW, info, sp), error: 'A refusal, explained.' } },
    {
      name: 'phone-entry',
      model: phoneEntryView(FLOW, 'mobile', { country: 'US', number: '', extension: '' }, sp, {
        voice: true,
        officePolicy: 'directory',
      }),
    },
    {
      name: 'code-entry',
      model: {
        flowId: FLOW,
        sentText: 'We texted a code to +1 ••• ••• 01 77.',
        resendTitle: 'Send a new code',
        error: '',
      },
    },
    {
      name: 'confirm-change',
      model: {
        flowId: FLOW,
        what: 'Mobile phone',
        before: '+1 ••• ••• 01 00',
        after: '+1 ••• ••• 01 77',
        defaultAfter: 'Text message to your mobile phone',
        note: '',
        noticeText: 'We will e-mail you a notice.',
        revokeTitle: 'Also sign me out everywhere',
        revokeWarning: 'Teams signs out too.',
        revokePreselected: false,
      } as Extract<View, { name: 'confirm-change' }>['model'],
    },
    { name: 'applying', model: { what: 'Mobile phone' } },
    {
      name: 'change-result',
      model: {
        ok: false,
        title: 'Not changed',
        message: 'Too many wrong codes.',
        detail: '',
        escalate: 'wrong-codes',
        flowId: FLOW,
      },
    },
    { name: 'step-up-failed', model: { title: 'Not verified', message: 'The MFA request was denied.' } },
    ...passkeyViews(lang),
  ];
}

/** Every card of the passkey set-up, made by the flow core itself (each device, each problem, confirmed). */
function passkeyViews(lang: (typeof LANGUAGES)[number]): View[] {
  const flow: Flow = {
    id: FLOW,
    chat: { channelId: 'slack', userId: 'T1:U1', conversationId: 'D1' },
    address: {},
    user: { oid: 'o', upn: 'alex@contoso.test', name: 'Alex' },
    lang,
    stage: 'menu',
    outbox: [],
    seq: 0,
    startedAt: 0,
    updatedAt: 0,
  };
  const shown = (t: { effects: Effect[] }) => t.effects.flatMap((e) => (e.kind === 'show' ? [e.view] : []));
  const started = startPasskey(flow, info, 1, 'card');
  const passkeyFlow = started.flow as Flow;
  const added = { ...info, listed: [...(info.listed ?? []), { kind: 'fido2' as const, id: 'new', name: 'iPhone' }] };
  return [
    ...shown(started),
    ...PASSKEY_DEVICES.flatMap((device) =>
      shown(choosePasskeyDevice(passkeyFlow, { type: 'passkeyDevice', flowId: FLOW, device, via: 'card' }, 2)),
    ),
    ...[undefined, ...PASSKEY_PROBLEMS].flatMap((problem) =>
      shown(
        passkeyHelp(
          passkeyFlow,
          { type: 'passkeyHelp', flowId: FLOW, ...(problem ? { problem } : {}), via: 'card' },
          3,
        ),
      ),
    ),
    ...shown(checkPasskey(passkeyFlow, { type: 'passkeyAdded', flowId: FLOW, via: 'card' }, info, 4)),
    ...shown(checkPasskey(passkeyFlow, { type: 'passkeyAdded', flowId: FLOW, via: 'card' }, added, 5)),
  ];
}

type Element = { type: string; text?: { text: string }; value?: string; action_id?: string };

describe('Slack Block Kit for every view', () => {
  it.each(LANGUAGES)(
    'in %s: within Slack limits, buttons carry card-shaped data, no Adaptive Card or image',
    (lang) => {
      for (const view of views(lang)) {
        const { text, blocks } = blocksOf(view, lang);
        expect(text.length, view.name).toBeGreaterThan(0);
        expect(blocks.length).toBeLessThanOrEqual(50);
        expect(JSON.stringify(blocks)).not.toMatch(/AdaptiveCard|"type":"image"/);
        for (const block of blocks as (Block & {
          elements?: Element[];
          fields?: unknown[];
          text?: { text: string };
        })[]) {
          if (block.type === 'header') expect((block.text?.text ?? '').length).toBeLessThanOrEqual(150);
          if (block.type === 'section') expect((block.fields ?? []).length).toBeLessThanOrEqual(10);
          if (block.type !== 'actions') continue;
          expect(block.elements?.length).toBeLessThanOrEqual(25);
          for (const el of block.elements ?? []) {
            expect((el.text?.text ?? '').length, `${view.name}: ${el.text?.text}`).toBeLessThanOrEqual(75);
            expect(el.text?.text ?? '', 'a label too long for Slack was cut').not.toMatch(/…$/);
            expect((el.action_id ?? '').length).toBeLessThanOrEqual(255);
            expect((el.value ?? '').length).toBeLessThanOrEqual(2000);
            expect(JSON.parse(el.value ?? '{}')).toHaveProperty('action');
          }
        }
      }
    },
  );

  it("the security info offers what Teams' card does: Remove per phone, every default, the way out, My Sign-ins", () => {
    const full: SecurityInfo = { ...info, phones: { ...info.phones, alternateMobile: '+1 4255550111' } };
    const sp = speechOf({ lang: 'en' });
    const offer = { phone: 'mobile' as const, title: 'Replace the mobile number instead' };
    const view: View = {
      name: 'security-info',
      model: { ...securityInfoView(FLOW, full, sp, 'mobile', offer), error: '' },
    };
    const pressed = blocksOf(view, 'en')
      .blocks.flatMap((b) => (b.type === 'actions' ? b.elements : []))
      .map((e) => {
        const b = e as { text: { text: string }; value: string; url?: string };
        return { title: b.text.text, data: JSON.parse(b.value) as Record<string, string>, url: b.url };
      });
    const of = (action: string) => pressed.filter((p) => p.data.action === action);
    expect(of('sec.removePhone').map((p) => p.data.phoneType)).toEqual(['mobile', 'alternateMobile', 'office']);
    expect(of('sec.removePhone').map((p) => p.title)).toContain('Remove the alternate phone');
    // Every default Graph can set for them except the current one (sms): voice on each phone, push, oath.
    expect(of('sec.setDefault').map((p) => p.data.defaultMethod)).toEqual(
      securityInfoView(FLOW, full, sp)
        .defaultChoices.map((c) => c.value)
        .filter((v) => v !== 'sms'),
    );
    expect(of('sec.setDefault')).toHaveLength(5);
    expect(of('sec.editPhone').find((p) => p.data.offer === 'mobile')?.title).toBe('Replace the mobile number instead');
    expect(of('slack.openLink')[0]?.url).toBe('https://mysignins.microsoft.com/security-info');
  });

  it('turns the catalogue Markdown into Slack mrkdwn and escapes &, <, >', () => {
    expect(mrkdwn("1. **Verify it's you**: see [My Sign-ins](https://mysignins.microsoft.com) <b> & co")).toBe(
      "1. *Verify it's you*: see <https://mysignins.microsoft.com|My Sign-ins> &lt;b&gt; &amp; co",
    );
  });

  it('an old step loses its buttons (chat.update with the "closed" note only)', async () => {
    const updates: Record<string, unknown>[] = [];
    const client = {
      chat: {
        update: async (args: Record<string, unknown>) => {
          updates.push(args);
          return { ok: true };
        },
      },
    };
    await new SlackPresenter(client as never, new SlackWorkspaces(async () => 'xoxb-t', 'single')).retire(
      { team: 'T', user: 'U', channel: 'D1' },
      '1.2',
      'de',
    );
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ channel: 'D1', ts: '1.2' });
    expect(JSON.stringify(updates[0]?.blocks)).not.toContain('"actions"');
    expect(String(updates[0]?.text)).toMatch(/Schritt/);
  });
});
