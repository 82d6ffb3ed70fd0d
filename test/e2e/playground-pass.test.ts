// A Temporary Access Pass in two Agents Playgrounds, as the default policy has it (HELPDESK_VERIFICATION=step-up):
// Alex, a helpdesk agent, asks for a pass for Adele and signs in with the helpdesk's stronger check; his word alone
// issues nothing. Adele's Playground gets "Verify it's me"; she signs in herself, and the pass appears in HER chat,
// once. Alex's chat says only that it was issued. Screenshots of both; axe-core on both.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardViolations } from '../helpers/axe.js';
import { useE2eSession } from '../helpers/e2e-session.js';
import { button, openPlayground, secondPlayground, send, signInFromCard } from '../helpers/playground.js';

const e2e = useE2eSession();
let agent: Page;
let adele: Page;
let adelesPlayground: { stop(): Promise<void> };

beforeAll(async () => {
  agent = e2e.page;
  await openPlayground(agent, e2e.sandbox.playgroundUrl);
  const second = await secondPlayground(agent, e2e.sandbox.botUrl, 'adele');
  adele = second.page;
  adelesPlayground = second;
});
afterAll(async () => {
  await adelesPlayground?.stop();
});

describe('a Temporary Access Pass the person verifies for and receives themselves', () => {
  it("the agent asks and records what he checked; nothing is issued on his word; Adele's chat asks her", async () => {
    await send(agent, 'temporary access pass for adelev@contoso.test');
    await agent
      .getByText("A Temporary Access Pass needs your own sign-in with the helpdesk's stronger check first.")
      .last()
      .waitFor({ timeout: 20_000 });
    await signInFromCard(agent);
    await agent.getByText('Temporary Access Pass for Adele Vance').last().waitFor({ timeout: 20_000 });
    await agent.getByText('Video call: their face matched a photo ID').last().click();
    await agent.getByLabel('What exactly (ID type, who confirmed)').last().fill('Teams video, passport matched');
    await agent.getByText("I checked this person's identity myself, just now").last().click();
    await button(agent, 'Issue the pass').click();
    await agent
      .getByText(/^I asked Adele Vance to verify it's them with their own sign-in/)
      .last()
      .waitFor({ timeout: 20_000 });
    await adele.getByText('The helpdesk is issuing you a Temporary Access Pass').last().waitFor({ timeout: 20_000 });
    await adele.screenshot({ path: path.join(e2e.shots, 'pass-verify-request.png'), fullPage: true });
    expect(await cardViolations(adele)).toEqual([]);
  });

  it('Adele verifies with her own sign-in: the pass is in her chat, once; Alex sees only "Issued"', async () => {
    await button(adele, "Verify it's me").click();
    await signInFromCard(adele);
    await adele.getByText('Your Temporary Access Pass').last().waitFor({ timeout: 20_000 });
    // The card's text blocks: the title, the pass on its own, then how to use it.
    const blocks = await adele.locator('.ac-adaptiveCard').last().locator('.ac-textBlock').allTextContents();
    const pass = (blocks[blocks.indexOf('Your Temporary Access Pass') + 1] ?? '').trim();
    expect(pass).toMatch(/^\S{8,}$/);
    await agent
      .getByText(/^Issued: Adele Vance verified it's them/)
      .last()
      .waitFor({ timeout: 20_000 });
    await adele.screenshot({ path: path.join(e2e.shots, 'pass-shown-to-person.png'), fullPage: true });
    await agent.screenshot({ path: path.join(e2e.shots, 'pass-issued-agent.png'), fullPage: true });
    expect(await agent.getByText(pass).count()).toBe(0);
    expect(await cardViolations(adele)).toEqual([]);
    expect(await cardViolations(agent)).toEqual([]);
    // Hidden on request: the card stays, the pass goes.
    await button(adele, 'Hide the pass').click();
    await adele
      .getByText(/^The pass was shown once and is hidden now/)
      .last()
      .waitFor({ timeout: 20_000 });
    expect(await adele.getByText(pass, { exact: true }).count()).toBe(0);
    // The whole sandbox output never held the pass.
    expect(e2e.sandbox.output()).not.toContain(pass);
  });
});
