// The helpdesk's readiness report in the Agents Playground: Alex (a helpdesk agent) types "readiness", signs in, and
// reads the counts: the Playground draws Teams' Chart.Donut, and the same numbers are on the card as text (hosts that do
// not know the chart drop it, by its fallback). Screenshot; axe-core on the card.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cardViolations } from '../helpers/axe.js';
import { useE2eSession } from '../helpers/e2e-session.js';
import { openPlayground, send, signInFromCard } from '../helpers/playground.js';

const e2e = useE2eSession();

beforeAll(async () => {
  await openPlayground(e2e.page, e2e.sandbox.playgroundUrl);
});

describe('the readiness report', () => {
  it('counts for the sandbox tenant, in text, no names; then one group', async () => {
    const page = e2e.page;
    await send(page, 'readiness');
    await page
      .getByText('The readiness report needs your own helpdesk sign-in first.')
      .last()
      .waitFor({ timeout: 20_000 });
    await signInFromCard(page);
    await page.getByText('Ready for the end of text and call codes?').last().waitFor({ timeout: 20_000 });
    const card = page.locator('.ac-adaptiveCard').last();
    const text = (await card.textContent()) ?? '';
    expect(text).toContain('Everyone in the directory: 405 people');
    expect(text).toMatch(/Only a phone \(text or call\)\s*\d+ \(\d+%\)/);
    expect(text).toMatch(/\d+ days left until February 1, 2027/);
    expect(text).not.toMatch(/Worker|Adele|Megan|Isaiah|Patti/);
    await page.screenshot({ path: path.join(e2e.shots, 'readiness-report.png'), fullPage: true });
    // Teams' chart renderer (Fluent UI charts) is the host's, not our markup: its focus-trap dummies and legend listbox
    // are left out; everything else on the card is checked.
    expect(await cardViolations(page, ['[data-tabster-dummy]', '[role="listbox"][aria-label="Legend"]'])).toEqual([]);

    await send(page, 'readiness for group Sales');
    await page
      .getByText(/^Group Sales: \d+ people/)
      .last()
      .waitFor({ timeout: 20_000 });
  });
});
