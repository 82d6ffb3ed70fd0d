// The change flow's views as tables (src/flow/views.ts): what each card says for each case, with every number masked.
// The step tests check which view a step shows; these check what is in it.
import { describe, expect, it } from 'vitest';
import {
  confirmView,
  offerFor,
  otherMethodsView,
  phoneEntryView,
  proofFor,
  securityInfoView,
  speechOf,
  summaryOf,
} from '../../../src/flow/views.js';
import type { SecurityInfo } from '../../../src/graph/auth-methods.js';
import { type ChangeRequest, planChange, type Refusal } from '../../../src/graph/planner.js';

const sp = speechOf({ lang: 'en' });
const form = { country: 'US', number: '', extension: '' };
const MASKED = /^\+1 ••• ••• \d\d \d\d$/;

const ALEX: SecurityInfo = {
  phones: { mobile: '+1 4255550100', office: '+1 2065550100x42' },
  others: ['microsoftAuthenticator'],
  listed: [
    { kind: 'microsoftAuthenticator', name: 'Pixel 7' },
    { kind: 'temporaryAccessPass', until: Date.UTC(2026, 11, 3, 15, 30) },
    { kind: 'email' },
  ],
  defaultMethod: 'sms',
  systemPreferredEnabled: true,
};

describe('the security-info card', () => {
  it('lists the other methods by name, with what tells two apart (device, a pass’s end) or "registered"', () => {
    expect(otherMethodsView(ALEX, sp.say, 'en', 'UTC')).toEqual([
      { title: 'Microsoft Authenticator', value: 'Pixel 7' },
      { title: 'Temporary Access Pass', value: 'usable until 3 Dec 2026, 15:30 UTC' },
      { title: 'E-mail', value: 'registered' },
    ]);
  });

  it('an older record without the listed methods shows each kind as registered', () => {
    const old: SecurityInfo = { ...ALEX, listed: undefined, others: ['fido2'] };
    expect(otherMethodsView(old, sp.say, 'en')).toEqual([{ title: 'Passkey (FIDO2)', value: 'registered' }]);
  });

  it('masks every number, says "not set", names the default, and offers only defaults that are usable', () => {
    const view = securityInfoView('f1', ALEX, sp);
    expect(view.mobile).toMatch(MASKED);
    expect(view.office).toMatch(/^\+1 ••• ••• \d\d \d\d ext\. 42$/);
    expect(view.alternate).toBe('not set');
    expect(view.registered).toEqual(['mobile', 'office']);
    expect(view.defaultMethod).toBe('Text message to your mobile phone');
    expect(view.currentDefault).toBe('sms');
    expect(view.systemPreferred).toBe(true);
    expect(view.defaultChoices.map((c) => c.value)).toEqual(['push', 'oath', 'sms', 'voiceMobile', 'voiceOffice']);
    expect(JSON.stringify(view)).not.toMatch(/4255550100|2065550100/);
  });

  it('carries the way out of a refusal as a preselected phone and its title', () => {
    const offer = offerFor('alternate-needs-mobile', { kind: 'setPhone', type: 'alternateMobile', number: 'x' }, sp);
    const view = securityInfoView('f1', ALEX, sp, 'alternateMobile', offer);
    expect([view.offerPhone, view.offerTitle, view.selectedPhone]).toEqual([
      'mobile',
      'Add a mobile phone',
      'alternateMobile',
    ]);
    expect([securityInfoView('f1', ALEX, sp).offerPhone, securityInfoView('f1', ALEX, sp).offerTitle]).toEqual([
      '',
      '',
    ]);
  });
});

describe('a way out of each refusal (never a dead end where there is one)', () => {
  const set = (type: 'mobile' | 'alternateMobile' | 'office'): ChangeRequest => ({
    kind: 'setPhone',
    type,
    number: 'x',
  });
  const remove = (type: 'mobile' | 'alternateMobile' | 'office'): ChangeRequest => ({ kind: 'removePhone', type });
  it.each<[Refusal, ChangeRequest | undefined, { phone: string; title: string } | undefined]>([
    ['alternate-needs-mobile', set('alternateMobile'), { phone: 'mobile', title: 'Add a mobile phone' }],
    ['mobile-needed-by-alternate', remove('mobile'), { phone: 'mobile', title: 'Replace the mobile number instead' }],
    ['would-leave-no-method', remove('office'), { phone: 'office', title: 'Replace the office number instead' }],
    [
      'would-leave-no-default',
      remove('alternateMobile'),
      { phone: 'alternateMobile', title: 'Replace the alternate number instead' },
    ],
    ['nothing-to-remove', remove('alternateMobile'), { phone: 'alternateMobile', title: 'Add an alternate phone' }],
    ['would-leave-no-method', { kind: 'setDefault', method: 'sms' }, undefined],
    ['would-leave-no-method', undefined, undefined],
    ['no-change', set('mobile'), undefined],
    ['invalid-number', set('mobile'), undefined],
    ['method-not-registered', { kind: 'setDefault', method: 'push' }, undefined],
  ])('%s after %j', (refusal, request, offer) => {
    expect(offerFor(refusal, request, sp)).toEqual(offer);
  });
});

describe('how a new number is proven, and the number card', () => {
  it.each([
    ['mobile', { voice: false, officePolicy: 'verify-by-call' }, ['sms']],
    ['mobile', { voice: true, officePolicy: 'verify-by-call' }, ['sms', 'voice']],
    ['alternateMobile', { voice: false, officePolicy: 'verify-by-call' }, ['sms']],
    ['alternateMobile', { voice: true, officePolicy: 'verify-by-call' }, ['voice']],
    ['office', { voice: true, officePolicy: 'verify-by-call' }, ['voice']],
    ['office', { voice: false, officePolicy: 'verify-by-call' }, []],
    ['office', { voice: true, officePolicy: 'directory' }, []],
    ['office', undefined, []],
  ] as const)('%s with %j: %j', (type, options, channels) => {
    expect(proofFor(type, options as never).channels).toEqual(channels);
  });

  it('a mobile with calls: "Text me" first and "Call me" beside it; no extension field', () => {
    const view = phoneEntryView('f1', 'mobile', form, sp, { voice: true, officePolicy: 'verify-by-call' });
    expect([view.title, view.submitTitle, view.submitChannel, view.callTitle]).toEqual([
      'New mobile phone',
      'Text me a code',
      'sms',
      'Call me with a code',
    ]);
    expect(view.allowExtension).toBe(false);
    expect(view.hint).toMatch(/receive texts/);
  });

  it('an alternate phone proven by a call: "Call me", the call hint', () => {
    const view = phoneEntryView('f1', 'alternateMobile', form, sp, { voice: true, officePolicy: 'verify-by-call' });
    expect([view.submitTitle, view.submitChannel, view.callTitle]).toEqual(['Call me with a code', 'voice', '']);
    expect(view.hint).toMatch(/^A second phone for calls/);
  });

  it('an office phone: an extension allowed; with the directory policy "Continue" and the directory hint', () => {
    const called = phoneEntryView('f1', 'office', form, sp, { voice: true, officePolicy: 'verify-by-call' });
    expect([called.allowExtension, called.submitTitle, called.submitChannel]).toEqual([
      true,
      'Call me with a code',
      'voice',
    ]);
    expect(called.hint).toMatch(/An extension is allowed/);
    const listed = phoneEntryView('f1', 'office', form, sp, { voice: true, officePolicy: 'directory' });
    expect([listed.submitTitle, listed.submitChannel, listed.callTitle]).toEqual(['Continue', '', '']);
    expect(listed.hint).toMatch(/business phone your organisation lists/);
    const any = phoneEntryView('f1', 'office', form, sp, { voice: false, officePolicy: 'any' });
    expect(any.hint).not.toMatch(/business phone your organisation lists/);
  });

  it('keeps what was typed, the error and the retirement note, and gives an example for the country', () => {
    const typed = { country: 'GB', number: '07700 900123', extension: '' };
    const view = phoneEntryView('f1', 'mobile', typed, sp, undefined, 'Too short.', 'Codes end on 1 February.');
    expect([view.number, view.country, view.error, view.retirementNote]).toEqual([
      '07700 900123',
      'GB',
      'Too short.',
      'Codes end on 1 February.',
    ]);
    expect(view.example).toMatch(/^e\.g\. 07\d{3} \d{6} or \+44 7\d{3} \d{6}$/);
    expect(view.countries.find((c) => c.value === 'GB')?.title).toBe('United Kingdom (+44)');
  });
});

describe('the confirm card and the summary', () => {
  const planned = (info: SecurityInfo, request: ChangeRequest) => {
    const plan = planChange(info, request);
    if (!plan.ok) throw new Error(plan.refusal);
    return plan;
  };

  it('a replaced mobile: before and after masked, the old number texted, system-preferred noted', () => {
    const request: ChangeRequest = { kind: 'setPhone', type: 'mobile', number: '+1 4255550177' };
    const view = confirmView('f1', request, ALEX, planned(ALEX, request), sp, false);
    expect(view.what).toBe('Mobile phone');
    expect(view.before).toMatch(MASKED);
    expect(view.after).toMatch(MASKED);
    expect(view.before).not.toBe(view.after);
    expect(view.noticeText).toBe('We will e-mail you a notice and text the old number.');
    expect(view.note).toMatch(/system-preferred/);
    expect(view.revokePreselected).toBe(false);
    expect(summaryOf(request, ALEX, sp)).toMatch(/^Your mobile phone changed from \+1 ••• .* to \+1 ••• /);
  });

  it('an added alternate phone: "not set" before, only an e-mail, a lost phone preselects "sign me out"', () => {
    const info = { ...ALEX, systemPreferredEnabled: false };
    const request: ChangeRequest = { kind: 'setPhone', type: 'alternateMobile', number: '+1 4255550188' };
    const view = confirmView('f1', request, info, planned(info, request), sp, true);
    expect([view.before, view.noticeText, view.note, view.revokePreselected]).toEqual([
      'not set',
      'We will e-mail you a notice.',
      '',
      true,
    ]);
    expect(summaryOf(request, info, sp)).toMatch(/^An alternate phone \+1 ••• .* was added/);
  });

  it('removing the default phone says where the default moves', () => {
    const request: ChangeRequest = { kind: 'removePhone', type: 'mobile' };
    const view = confirmView('f1', request, ALEX, planned(ALEX, request), sp, false);
    expect(view.after).toBe('removed');
    expect(view.note).toMatch(/^This phone is your default method, so your default becomes: /);
    expect(view.defaultAfter).not.toBe('Text message to your mobile phone');
    expect(summaryOf(request, ALEX, sp)).toMatch(/^Your mobile phone \+1 ••• .* was removed/);
  });

  it('a new default method: both named, no number', () => {
    const request: ChangeRequest = { kind: 'setDefault', method: 'push' };
    const view = confirmView('f1', request, ALEX, planned(ALEX, request), sp, false);
    expect([view.what, view.before, view.after, view.defaultAfter]).toEqual([
      'Default sign-in method',
      'Text message to your mobile phone',
      'Microsoft Authenticator notification',
      'Microsoft Authenticator notification',
    ]);
    expect(view.noticeText).toBe('We will e-mail you a notice.');
    expect(summaryOf(request, ALEX, sp)).toBe(
      'Your default sign-in method changed from "Text message to your mobile phone" to "Microsoft Authenticator notification".',
    );
  });
});
