// The production SMS and e-mail senders (Azure Communication Services SDKs) against a local HTTPS stand-in that
// checks the HMAC request signature the way ACS does, and answers in ACS's shapes (accepted, rejected, async e-mail).
import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AcsEmailSender, AcsSmsSender } from '../../src/messaging/acs-senders.js';
import { ensureSandboxCertificate } from '../../src/sandbox/entra/tls.js';
import { type LoopbackHttpsServer, listenHttps } from '../../src/sandbox/https-server.js';

const KEY = Buffer.from('offline-acs-access-key').toString('base64');
let server: LoopbackHttpsServer;
let ca: string;
const received: { path: string; body: Record<string, unknown>; signed: boolean }[] = [];
let rejectSms = false;

/** ACS HMAC: "METHOD\npath?query\nx-ms-date;host;x-ms-content-sha256", signed with the access key. */
function signatureOk(req: IncomingMessage, body: string): boolean {
  const auth = /Signature=(.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const contentHash = createHash('sha256').update(body).digest('base64');
  if (!auth || req.headers['x-ms-content-sha256'] !== contentHash) return false;
  const toSign = `${req.method}\n${req.url}\n${req.headers['x-ms-date']};${req.headers.host};${contentHash}`;
  return createHmac('sha256', Buffer.from(KEY, 'base64')).update(toSign).digest('base64') === auth;
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  let body = '';
  for await (const chunk of req) body += chunk;
  const signed = signatureOk(req, body);
  received.push({ path: req.url ?? '', body: body ? JSON.parse(body) : {}, signed });
  const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(value));
  };
  if (!signed) return json(401, { error: { code: 'Denied', message: 'Denied by the resource provider.' } });
  if (req.url?.startsWith('/sms')) {
    const to = (JSON.parse(body).smsRecipients as { to: string }[])[0]?.to;
    return json(202, {
      value: [
        rejectSms
          ? { to, httpStatusCode: 400, successful: false, errorMessage: 'Invalid To phone number format.' }
          : { to, messageId: 'sms-1', httpStatusCode: 202, successful: true },
      ],
    });
  }
  if (req.url?.startsWith('/emails:send')) {
    return json(
      202,
      { id: 'op-1', status: 'Running' },
      { 'operation-location': `${server.url}/emails/operations/op-1?api-version=2025-09-01`, 'retry-after': '0' },
    );
  }
  if (req.url?.startsWith('/emails/operations/op-1')) return json(200, { id: 'op-1', status: 'Succeeded' });
  return json(404, {});
}

beforeAll(async () => {
  const tls = await ensureSandboxCertificate(mkdtempSync(path.join(os.tmpdir(), 'proofup-acs-')));
  ca = tls.cert;
  server = await listenHttps(tls, 0, (req, res) => void handle(req, res));
});
afterAll(async () => {
  await server?.stop();
});

const connection = () => `endpoint=${server.url}/;accesskey=${KEY}`;

describe('Azure Communication Services senders', () => {
  it('sends an SMS, signed with the access key', async () => {
    const id = await new AcsSmsSender(connection(), '+18005550100', { extraCaPem: ca }).sendSms(
      '+14255550100',
      'hello',
    );
    expect(id).toBe('sms-1');
    const request = received.find((r) => r.path.startsWith('/sms'));
    expect(request?.signed).toBe(true);
    expect(request?.body).toMatchObject({
      from: '+18005550100',
      smsRecipients: [{ to: '+14255550100' }],
      message: 'hello',
    });
  });

  it('a rejected SMS is a coded error', async () => {
    rejectSms = true;
    await expect(
      new AcsSmsSender(connection(), '+18005550100', { extraCaPem: ca }).sendSms('+1999', 'x'),
    ).rejects.toMatchObject({ code: 'PROOFUP_MESSAGE_NOT_SENT' });
    rejectSms = false;
  });

  it('a wrong access key is refused by the service', async () => {
    const wrong = `endpoint=${server.url}/;accesskey=${Buffer.from('nope').toString('base64')}`;
    await expect(
      new AcsSmsSender(wrong, '+18005550100', { extraCaPem: ca }).sendSms('+14255550100', 'x'),
    ).rejects.toBeDefined();
  });

  it('sends an e-mail and waits for the operation to succeed', async () => {
    const id = await new AcsEmailSender(connection(), 'DoNotReply@contoso.test', { extraCaPem: ca }).sendEmail({
      to: 'alexw@contoso.test',
      subject: 'Subject',
      text: 'Body',
    });
    expect(id).toBe('op-1');
    const request = received.find((r) => r.path.startsWith('/emails:send'));
    expect(request?.signed).toBe(true);
    expect(request?.body).toMatchObject({
      senderAddress: 'DoNotReply@contoso.test',
      recipients: { to: [{ address: 'alexw@contoso.test' }] },
      content: { subject: 'Subject', plainText: 'Body' },
    });
  });
});
