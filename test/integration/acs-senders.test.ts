// The production SMS and e-mail senders (Azure Communication Services SDKs) against a local HTTPS stand-in that checks
// the HMAC request signature the way ACS does, answers in ACS's shapes, and honours repeatable requests.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AcsEmailSender, AcsSmsSender, repeatabilityId } from '../../src/messaging/acs-senders.js';
import { ensureSandboxCertificate } from '../../src/sandbox/entra/tls.js';
import { type AcsStandIn, startAcsStandIn } from '../helpers/acs-standin.js';

let acs: AcsStandIn;
let ca: string;

beforeAll(async () => {
  const tls = await ensureSandboxCertificate(mkdtempSync(path.join(os.tmpdir(), 'proofup-acs-')));
  ca = tls.cert;
  acs = await startAcsStandIn(tls);
});
afterAll(async () => {
  await acs?.stop();
});

const sms = () => new AcsSmsSender(acs.connectionString, '+18005550100', { extraCaPem: ca });
const email = () => new AcsEmailSender(acs.connectionString, 'DoNotReply@contoso.test', { extraCaPem: ca });

describe('Azure Communication Services senders', () => {
  it('sends an SMS, signed with the access key', async () => {
    const id = await sms().sendSms('+14255550100', 'hello');
    expect(id).toMatch(/^sms-/);
    const request = acs.requests.find((r) => r.path.startsWith('/sms'));
    expect(request?.signed).toBe(true);
    expect(request?.body).toMatchObject({
      from: '+18005550100',
      smsRecipients: [{ to: '+14255550100' }],
      message: 'hello',
    });
  });

  it('a rejected SMS is a coded error', async () => {
    acs.rejectSms = true;
    await expect(sms().sendSms('+1999', 'x')).rejects.toMatchObject({ code: 'PROOFUP_MESSAGE_NOT_SENT' });
    acs.rejectSms = false;
  });

  it('a wrong access key is refused by the service', async () => {
    const wrong = `endpoint=${acs.url}/;accesskey=${Buffer.from('nope').toString('base64')}`;
    await expect(
      new AcsSmsSender(wrong, '+18005550100', { extraCaPem: ca }).sendSms('+14255550100', 'x'),
    ).rejects.toBeDefined();
  });

  it('sends an e-mail and waits for the operation to succeed', async () => {
    const id = await email().sendEmail({ to: 'alexw@contoso.test', subject: 'Subject', text: 'Body' });
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const request = acs.requests.find((r) => r.path.startsWith('/emails:send'));
    expect(request?.signed).toBe(true);
    expect(request?.body).toMatchObject({
      senderAddress: 'DoNotReply@contoso.test',
      recipients: { to: [{ address: 'alexw@contoso.test' }] },
      content: { subject: 'Subject', plainText: 'Body' },
    });
  });

  it('an SMS sent twice with the same repeatable id (a redelivery after a crash) is delivered once', async () => {
    const repeatable = { requestId: 'flow-1.7', firstSentAt: Date.now() };
    const before = acs.messages.length;
    const first = await sms().sendSms('+14255550123', 'changed', repeatable);
    const second = await sms().sendSms('+14255550123', 'changed', repeatable);
    expect(second).toBe(first);
    expect(acs.messages.length).toBe(before + 1);
    const bodies = acs.requests.filter((r) => r.path.startsWith('/sms')).slice(-2);
    for (const r of bodies) {
      expect(r.signed).toBe(true); // our id replaced the SDK's before signing
      expect((r.body.smsRecipients as Record<string, string>[])[0]?.repeatabilityRequestId).toBe(
        repeatabilityId('flow-1.7'),
      );
    }
  });

  it('ACS_TIMEOUT_MS: a send whose answer never comes ends at the deadline; the retry is not delivered twice', async () => {
    const repeatable = { requestId: 'flow-9.1', firstSentAt: Date.now() };
    const before = acs.messages.length;
    let release: () => void = () => undefined;
    acs.hold = () => new Promise<void>((resolve) => (release = resolve)); // accepted, the answer held
    const started = Date.now();
    const quick = new AcsSmsSender(acs.connectionString, '+18005550100', { extraCaPem: ca, timeoutMs: 1500 });
    await expect(quick.sendSms('+14255550124', 'changed', repeatable)).rejects.toThrow();
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(1400);
    expect(took).toBeLessThan(5000);
    acs.hold = undefined;
    release();
    // The notifier's retry: the same repeatable id, so ACS delivers nothing new.
    await quick.sendSms('+14255550124', 'changed', repeatable);
    expect(acs.messages.filter((m) => m.to === '+14255550124')).toHaveLength(1);
    expect(acs.messages.length).toBe(before + 1);

    acs.hold = () => new Promise<void>(() => undefined);
    const mail = new AcsEmailSender(acs.connectionString, 'DoNotReply@contoso.test', {
      extraCaPem: ca,
      timeoutMs: 1500,
    });
    const at = Date.now();
    await expect(mail.sendEmail({ to: 'alex@contoso.test', subject: 'S', text: 'B' })).rejects.toThrow();
    expect(Date.now() - at).toBeLessThan(5000);
    acs.hold = undefined;
  });

  it('an e-mail sent twice with the same repeatable id is delivered once', async () => {
    const repeatable = { requestId: 'flow-1.6', firstSentAt: Date.now() };
    const before = acs.messages.length;
    await email().sendEmail({ to: 'alexw@contoso.test', subject: 'S', text: 'B' }, repeatable);
    await email().sendEmail({ to: 'alexw@contoso.test', subject: 'S', text: 'B' }, repeatable);
    expect(acs.messages.length).toBe(before + 1);
    const last = acs.requests.filter((r) => r.path.startsWith('/emails:send')).at(-1);
    expect(last?.headers['repeatability-request-id']).toBe(repeatabilityId('flow-1.6'));
  });

  it("an e-mail's send can be read back later by its request id (the operation is named after it), signed", async () => {
    const repeatable = { requestId: 'flow-2.1', firstSentAt: Date.now() };
    await email().sendEmail({ to: 'alexw@contoso.test', subject: 'S', text: 'B' }, repeatable);
    const send = acs.requests.filter((r) => r.path.startsWith('/emails:send')).at(-1);
    expect(send?.headers['operation-id']).toBe(repeatabilityId('flow-2.1'));
    expect(await email().wasAccepted('flow-2.1')).toBe(true);
    expect(await email().wasAccepted('flow-never-sent')).toBe(false);
    const read = acs.requests.filter((r) => r.path.startsWith('/emails/operations/')).at(-1);
    expect(read?.path).toContain(repeatabilityId('flow-never-sent'));
    expect(read?.headers.authorization).toMatch(/^HMAC-SHA256 /);
  });

  it('repeatability ids are GUIDs, stable for a key and different between keys', () => {
    expect(repeatabilityId('a.1')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(repeatabilityId('a.1')).toBe(repeatabilityId('a.1'));
    expect(repeatabilityId('a.1')).not.toBe(repeatabilityId('a.2'));
  });
});
