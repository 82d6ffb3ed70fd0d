// The step-up in the Agents Playground, as a person does it: ask, press "Verify it's you", sign in at the sandbox
// Entra ID in the window that opens, approve MFA, type the code shown there into the chat, see "Verified as …".
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useE2eSession } from '../helpers/e2e-session.js';
import { openPlayground, verifyInPlayground } from '../helpers/playground.js';

const e2e = useE2eSession();

describe('step-up in the Agents Playground', () => {
  it('"change my MFA phone" -> sign in -> approve MFA -> type the code -> "Verified as Alex Wilber"', async () => {
    await openPlayground(e2e.page, e2e.sandbox.playgroundUrl);
    await verifyInPlayground(e2e.page, e2e.shots);
    await expect(e2e.page.getByText('Verified as Alex Wilber', { exact: true }).last().isVisible()).resolves.toBe(true);
    await e2e.page.screenshot({ path: path.join(e2e.shots, 'step-up-verified.png'), fullPage: true });
  });
});
