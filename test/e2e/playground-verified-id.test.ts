// Someone who lost every factor gets a Temporary Access Pass through the helpdesk and Verified ID, in the sandbox:
// Alex (agent, Agents Playground) asks for a pass for Patti, who has no factor and no chat with the bot; he records
// what he checked and picks "Verified ID with Face Check". His chat gives him a link for Patti — and when he opens it
// himself, his browser is refused. Patti opens it on her own device (another Chromium), presents her VerifiedEmployee
// credential in the simulated Authenticator with a matching face, and the pass appears on HER page, once. Alex's chat
// says only "verified" and "issued". Screenshots of each step.
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, trustCertificateArg } from '../helpers/browser.js';
import { useE2eSession } from '../helpers/e2e-session.js';
import { button, openPlayground, send, signInFromCard } from '../helpers/playground.js';

const e2e = useE2eSession();
let agent: Page;
let pattisDevice: BrowserContext;
let patti: Page;
let link = '';

beforeAll(async () => {
  agent = e2e.page;
  await openPlayground(agent, e2e.sandbox.playgroundUrl);
  pattisDevice = await launchBrowser([trustCertificateArg(e2e.cert)]);
  patti = await pattisDevice.newPage();
});
afterAll(async () => {
  await pattisDevice?.close();
});

describe('a Temporary Access Pass for someone who lost every factor, verified with Verified ID and Face Check', () => {
  it('the agent records what he checked, picks Verified ID and gets a link for the person — nothing is issued yet', async () => {
    await send(agent, 'temporary access pass for pattif@contoso.test');
    await agent
      .getByText("A Temporary Access Pass needs your own sign-in with the helpdesk's stronger check first.")
      .last()
      .waitFor({ timeout: 20_000 });
    await signInFromCard(agent);
    await agent.getByText('Temporary Access Pass for Patti Fernandez').last().waitFor({ timeout: 20_000 });
    await agent.getByText('Video call: their face matched a photo ID').last().click();
    await agent
      .getByText(/^Verified ID with Face Check, on a page/)
      .last()
      .click();
    await agent.getByLabel('What exactly (ID type, who confirmed)').last().fill('called back on the HR number');
    await agent.getByText("I checked this person's identity myself, just now").last().click();
    await button(agent, 'Issue the pass').click();
    const told = agent.getByText(/^Give Patti Fernandez this link/).last();
    await told.waitFor({ timeout: 20_000 });
    link = /(http:\/\/\S+\/verify\/\S+)/.exec((await told.textContent()) ?? '')?.[1] ?? '';
    expect(link).toMatch(/\/verify\/[0-9a-f-]{36}\?t=/);
    await agent.screenshot({ path: path.join(e2e.shots, 'verified-id-agent-link.png'), fullPage: true });
  });

  it("Patti opens it on her own device; the same link in the agent's browser is refused", async () => {
    await patti.goto(link);
    await patti.getByText(/^Patti Fernandez, the helpdesk is issuing you/).waitFor({ timeout: 20_000 });
    await patti.screenshot({ path: path.join(e2e.shots, 'verified-id-person-page.png'), fullPage: true });
    const agentsTab = await agent.context().newPage();
    await agentsTab.goto(link);
    await agentsTab.getByText(/already opened in another browser/).waitFor({ timeout: 10_000 });
    expect(await agentsTab.locator('#pass').count()).toBe(0);
    await agentsTab.close();
  });

  it('Patti presents her VerifiedEmployee credential with a matching face: the pass on her page, once; Alex sees "issued"', async () => {
    const walletUrl = (await patti.locator('#wallet').getAttribute('href')) ?? '';
    const wallet = await pattisDevice.newPage();
    await wallet.goto(walletUrl);
    await wallet.locator('#upn').selectOption('pattif@contoso.test');
    await wallet.locator('#share').click();
    await wallet.getByText(/^Shared: your VerifiedEmployee credential was presented/).waitFor({ timeout: 10_000 });
    await wallet.close();

    const passOnPage = patti.locator('#pass');
    await passOnPage.waitFor({ state: 'visible', timeout: 20_000 });
    const pass = ((await passOnPage.textContent()) ?? '').trim();
    expect(pass).toMatch(/^\S{8,}$/);
    await patti.getByText(/^Your Temporary Access Pass works once, until \d/).waitFor();
    await patti.screenshot({ path: path.join(e2e.shots, 'verified-id-pass-on-page.png'), fullPage: true });

    await agent
      .getByText(/^Patti Fernandez verified with Verified ID \(Face Check 93 of 100\)/)
      .last()
      .waitFor({ timeout: 20_000 });
    await agent
      .getByText(/^Issued: Patti Fernandez verified with Verified ID and sees the pass on their page/)
      .last()
      .waitFor({ timeout: 20_000 });
    await agent.screenshot({ path: path.join(e2e.shots, 'verified-id-agent-issued.png'), fullPage: true });
    expect(await agent.getByText(pass).count()).toBe(0);

    // Once: reloading the page shows no pass.
    await patti.reload();
    await patti.getByText(/^The pass was shown once, on this page/).waitFor({ timeout: 10_000 });
    expect(await patti.getByText(pass).count()).toBe(0);
    expect(e2e.sandbox.output()).not.toContain(pass);
    const events = e2e
      .auditExport()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event?: string; subjectOid?: string; reason?: string })
      .filter((r) => r.event && r.subjectOid === '0a1e0000-0000-4000-8000-000000000024')
      .map((r) => r.event);
    expect(events).toEqual(['requested', 'verification-sent', 'verified', 'issued', 'shown']);
  });
});
