// The step-up app registration can use a certificate instead of a secret (ENTRA_CLIENT_CERTIFICATE_PATH): msal-node
// then sends a signed client assertion, which the simulated Entra ID checks against the registered certificate.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import selfsigned from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardText, exchange, personal, signInThroughBrowser } from '../helpers/step-up-flow.js';
import { startTestBot, type TestBot } from '../helpers/test-bot.js';

let bot: TestBot;
beforeAll(async () => {
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'proofup-step-up' }], {
    keySize: 2048,
    algorithm: 'sha256',
  });
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'proofup-cert-')), 'step-up.pem');
  writeFileSync(file, `${pems.private}\n${pems.cert}\n`, { mode: 0o600 });
  bot = await startTestBot({ env: { ENTRA_CLIENT_CERTIFICATE_PATH: file } });
});
afterAll(async () => {
  await bot?.close();
});

describe('certificate credential', () => {
  it('the sign-in code is redeemed with a client assertion, and Teams binds it', async () => {
    expect(bot.config.stepUp.clientSecret).toBe('');
    const chat = personal('a:cert');
    const page = await signInThroughBrowser(bot, chat);
    expect(page.status, bot.logs.filter((l) => /refused|failed/.test(l)).join('\n')).toBe(200);
    const reply = await exchange(bot, {
      ...chat,
      type: 'invoke',
      name: 'signin/verifyState',
      value: { state: page.code },
      text: undefined,
    });
    expect(cardText(reply)).toContain('Verified as Alex Wilber');
    // The app-only Graph token is obtained with the certificate too: the security-info card lists the phones.
    const menu = await bot.connector.waitFor(
      (c) => c.conversationId === 'a:cert' && JSON.stringify(c.body).includes('Your sign-in security info'),
    );
    expect(JSON.stringify(menu.body)).toContain('+1 ••• ••• 01 00');
  });
});
