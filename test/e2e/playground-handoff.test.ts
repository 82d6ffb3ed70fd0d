// Handoff in two Agents Playgrounds (the Playground has no user menu, so each person gets their own): Alex, a
// helpdesk agent, says "help adelev@contoso.test" and signs in himself; the bot installs itself for Adele (simulated
// Graph), her Playground gets the invitation; she presses Start, signs in herself and changes her mobile with the code
// from the outbox; Alex's ONE status card ends on "Changed" without ever showing a number.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../src/sandbox/entra/demo-directory.js';
import { cardViolations } from '../helpers/axe.js';
import { useE2eSession } from '../helpers/e2e-session.js';
import { button, openPlayground, secondPlayground, send, signInFromCard } from '../helpers/playground.js';

const ADELE = DEMO_USERS[2] as (typeof DEMO_USERS)[number];
const e2e = useE2eSession();
let agent: Page;
let user: Page;
let adelesPlayground: { stop(): Promise<void> };

beforeAll(async () => {
  agent = e2e.page;
  await openPlayground(agent, e2e.sandbox.playgroundUrl);
  const adele = await secondPlayground(agent, e2e.sandbox.botUrl, 'adele');
  user = adele.page;
  adelesPlayground = adele;
});
afterAll(async () => {
  await adelesPlayground?.stop();
});

const statusSays = (text: RegExp) => agent.getByText(text).last().waitFor({ timeout: 20_000 });

describe('handoff from a helpdesk agent to a user, in two Agents Playgrounds', () => {
  it('the agent hands Adele to the bot after his own sign-in; her chat gets the invitation', async () => {
    await send(agent, 'help adelev@contoso.test');
    await agent.getByText('Helpdesk actions need your own fresh sign-in first.').last().waitFor({ timeout: 20_000 });
    await signInFromCard(agent);
    await agent.getByText('Handoff to Adele Vance').last().waitFor({ timeout: 20_000 });
    await statusSays(/^Invitation sent: waiting for them to open it$/);
    await user.getByText('The helpdesk asked me to help you').last().waitFor({ timeout: 20_000 });
    await expect(
      user
        .getByText(/^Alex Wilber from the helpdesk asked me to help you with your sign-in phone/)
        .last()
        .isVisible(),
    ).resolves.toBe(true);
    await user.screenshot({ path: path.join(e2e.shots, 'handoff-invitation.png'), fullPage: true });
    expect(await cardViolations(user)).toEqual([]);
  });

  it('Adele starts, signs in herself, changes her mobile; the status card follows and ends on "Changed"', async () => {
    await button(user, 'Start').click();
    await statusSays(/^Opened: they are signing in$/);
    await signInFromCard(user);
    await statusSays(/^Signed in: choosing the change$/);
    await user.getByLabel('Phone number').last().waitFor({ timeout: 20_000 });
    await user.getByLabel('Phone number').last().fill('+1 425 555 0188');
    await button(user, 'Text me a code').click();
    await user.getByText('Prove the new number is yours').last().waitFor({ timeout: 20_000 });
    await statusSays(/^A code was sent to the new number$/);
    const code = await e2e.codeTextedTo('+14255550188');
    await send(user, code);
    await user.getByText('Confirm the change').last().waitFor({ timeout: 20_000 });
    await button(user, 'Confirm').click();
    await user
      .getByText(/^Your mobile phone changed from/)
      .last()
      .waitFor({ timeout: 20_000 });
    await statusSays(/^Changed$/);
    await agent.screenshot({ path: path.join(e2e.shots, 'handoff-status.png'), fullPage: true });
    expect((await e2e.graphUsers())[ADELE.oid].phones.mobile).toBe('+1 4255550188');
    // One status card in the agent's chat, and no number in it.
    expect(await agent.getByText('Handoff to Adele Vance').count()).toBe(1);
    expect(await agent.getByText(/•••|555|0188/).count()).toBe(0);
    expect(await cardViolations(agent)).toEqual([]);
  });
});
