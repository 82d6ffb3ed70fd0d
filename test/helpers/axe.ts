// axe-core (Deque) run inside the page, on the Adaptive Cards as the Agents Playground renders them.
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: number;
}

/**
 * Serious and critical accessibility violations inside the rendered cards (the Playground's own chrome excluded).
 * `exclude`: selectors inside a card that are the HOST's components, not our markup — e.g. Teams' chart renderer (Fluent
 * UI charts: tabster focus-trap dummies, a legend listbox), which a card cannot change.
 */
export async function cardViolations(page: Page, exclude: string[] = []): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
  return page.evaluate(async (exclude) => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run(
            ctx: unknown,
            opts: unknown,
          ): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: unknown[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(
      { include: [['.ac-adaptiveCard']], exclude: exclude.map((selector) => [selector]) },
      { resultTypes: ['violations'] },
    );
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length }));
  }, exclude);
}
