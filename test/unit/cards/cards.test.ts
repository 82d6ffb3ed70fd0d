import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as AC from 'adaptivecards';
import { describe, expect, it } from 'vitest';
import { BOT_ROUTED_ACTIONS } from '../../../src/bot/proofup-bot.js';
import { CardBuilder, type CardName } from '../../../src/cards/card-builder.js';
import { Actions, ALL_ACTIONS } from '../../../src/channels/actions.js';
import { FLOW_ACTIONS, flowInputOf } from '../../../src/channels/flow-inputs.js';
import { verifiedView } from '../../../src/conversation/replies.js';
import { PASSKEY_ACTIONS } from '../../../src/flow/views.js';
import { LANGUAGES } from '../../../src/i18n/i18n.js';
import { projectRoot } from '../../../src/paths.js';
import { CARD_SAMPLES } from '../../fixtures/card-samples.js';

const cardsDir = path.join(projectRoot(), 'cards');
const names = readdirSync(cardsDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''));

/**
 * Teams' chart elements (Chart.Donut, Chart.HorizontalBar, …): Teams renders them, the Adaptive Cards SDK does not know
 * them. Each must carry `fallback: "drop"` (hosts without charts drop it; the card says the
 * numbers in text as well); only then is the SDK's "unknown element" message for it expected.
 */
const TEAMS_CHART = /^parse: Unknown element type "Chart\.[A-Za-z]+"\. Fallback will be used if present\.$/;

function chartsWithoutFallback(json: unknown): string[] {
  if (Array.isArray(json)) return json.flatMap(chartsWithoutFallback);
  if (!json || typeof json !== 'object') return [];
  const o = json as Record<string, unknown>;
  const own = typeof o.type === 'string' && o.type.startsWith('Chart.') && o.fallback !== 'drop' ? [o.type] : [];
  return [...own, ...Object.values(o).flatMap(chartsWithoutFallback)];
}

/** Parses a card with the Adaptive Cards SDK and returns every parse and validation message. */
function validate(json: object): string[] {
  const context = new AC.SerializationContext();
  const card = new AC.AdaptiveCard();
  card.parse(json, context);
  const messages: string[] = chartsWithoutFallback(json).map((type) => `${type} without fallback "drop"`);
  for (let i = 0; i < context.eventCount; i++) {
    const message = `parse: ${context.getEventAt(i).message}`;
    if (!TEAMS_CHART.test(message)) messages.push(message);
  }
  for (const event of card.validateProperties().validationEvents) messages.push(`validate: ${event.message}`);
  return messages;
}

function placeholders(value: unknown): string[] {
  return JSON.stringify(value).match(/\$\{[^}]*\}/g) ?? [];
}

describe('every card in /cards', () => {
  it('there are cards to check', () => {
    expect(names.length).toBeGreaterThanOrEqual(3);
  });

  it.each(names)('%s: the template is Adaptive Cards 1.5 and validates with zero messages', (name) => {
    const json = JSON.parse(readFileSync(path.join(cardsDir, `${name}.json`), 'utf8'));
    expect(json.version).toBe('1.5');
    expect(validate(json)).toEqual([]);
  });

  it.each(names)(
    '%s: filled with its sample view model it validates with zero messages and no placeholder left',
    (name) => {
      const sample = CARD_SAMPLES[name];
      expect(sample, `test/fixtures/card-samples.ts has no sample for ${name}`).toBeDefined();
      const attachment = new CardBuilder(cardsDir).build(name as CardName, { ...sample, lang: 'en' });
      expect(attachment.contentType).toBe('application/vnd.microsoft.card.adaptive');
      expect(placeholders(attachment.content)).toEqual([]);
      expect(validate(attachment.content)).toEqual([]);
    },
  );

  it.each(LANGUAGES.flatMap((lang) => names.map((name) => [name, lang] as const)))(
    '%s in %s: every text comes from the catalogue, the card renders and validates with zero messages',
    (name, lang) => {
      const attachment = new CardBuilder(cardsDir).build(name as CardName, { ...CARD_SAMPLES[name], lang }, lang);
      const text = JSON.stringify(attachment.content);
      expect(text).not.toMatch(/\{\{[\w.-]+\}\}/); // no catalogue token left
      expect(placeholders(attachment.content)).toEqual([]);
      expect(validate(attachment.content)).toEqual([]);
    },
  );

  it('a German card is in German (labels, buttons) and an English one in English', () => {
    const de = JSON.stringify(
      new CardBuilder(cardsDir).build('confirm-change', CARD_SAMPLES['confirm-change'] ?? {}, 'de').content,
    );
    const en = JSON.stringify(
      new CardBuilder(cardsDir).build('confirm-change', CARD_SAMPLES['confirm-change'] ?? {}, 'en').content,
    );
    expect(de).toContain('Änderung bestätigen');
    expect(de).toContain('"title":"Abbrechen"');
    expect(en).toContain('Confirm the change');
    expect(en).toContain('"title":"Cancel"');
  });

  it('the validator is not a rubber stamp: a broken card produces messages', () => {
    const broken = {
      type: 'AdaptiveCard',
      version: '1.5',
      body: [{ type: 'TextBlokk', text: 'x' }, { type: 'Input.Text' }],
    };
    expect(validate(broken).length).toBeGreaterThanOrEqual(2);
  });
});

describe('CardBuilder', () => {
  it('fills user-supplied values as text, not as template expressions', () => {
    const injected = ['$', '{flowId}'].join('');
    const view = verifiedView({ name: injected, upn: 'a@b', expiresAt: 0 }, 'en', 'UTC');
    const attachment = new CardBuilder(cardsDir).build('verified', { ...view, lang: 'en' });
    expect(JSON.stringify(attachment.content)).toContain(`Verified as ${injected}`);
  });

  it('the confirm card preselects "sign me out everywhere" from the view\'s boolean (Teams wants the strings)', () => {
    const toggle = (revokePreselected: boolean) =>
      JSON.stringify(
        new CardBuilder(cardsDir).build('confirm-change', { ...CARD_SAMPLES['confirm-change'], revokePreselected })
          .content,
      ).match(/"id":"revokeSessions"[^}]*"value":("\w+")/)?.[1];
    expect([toggle(true), toggle(false)]).toEqual(['"true"', '"false"']);
  });

  it('names the template when it cannot be read', () => {
    expect(() => new CardBuilder('/nonexistent').build('intro', {})).toThrow(/card template intro/);
  });
});

describe('card actions', () => {
  // A template expression ("${action}": the passkey card's buttons) stands for the actions its view model can name.
  const actionsIn = (value: unknown): string[] =>
    [...JSON.stringify(value).matchAll(/"action":\s*"([^"]+)"/g)]
      .map((m) => m[1] as string)
      .flatMap((a) => (a.startsWith('${') ? [...PASSKEY_ACTIONS] : [a]));
  const used = [
    ...new Set(
      names.flatMap((name) => actionsIn(JSON.parse(readFileSync(path.join(cardsDir, `${name}.json`), 'utf8')))),
    ),
  ];

  it('cards submit actions', () => {
    expect(used.length).toBeGreaterThanOrEqual(5);
  });

  it.each(used)('%s is a named action with a route in the bot', (action) => {
    expect(ALL_ACTIONS).toContain(action);
    const routed = FLOW_ACTIONS.has(action) || BOT_ROUTED_ACTIONS.includes(action);
    expect(routed, `${action} has no handler`).toBe(true);
  });

  it('every flow action parses the values its card sends, and refuses forged ones', () => {
    const flowId = '7d3c1f9e-2b4a-4c6d-8e0f-1a2b3c4d5e6f';
    for (const action of FLOW_ACTIONS)
      expect(
        flowInputOf(action, { action, flowId, phoneType: 'mobile', code: '123456', choice: 'iphone' }),
        action,
      ).toBeDefined();
    expect(flowInputOf(Actions.passkeyDevice, { flowId, choice: 'pager' })).toBeUndefined();
    expect(flowInputOf(Actions.editPhone, { flowId, phoneType: 'satellite' })).toBeUndefined();
    expect(flowInputOf(Actions.confirm, { flowId: 42 })).toBeUndefined();
    expect(flowInputOf(Actions.submitNumber, { flowId, number: 'x'.repeat(500) })).toBeUndefined();
    expect(flowInputOf('sec.unknown', { flowId })).toBeUndefined();
  });
});

describe('accessibility of every card (what can be checked in the JSON)', () => {
  const nodes = (card: unknown): Record<string, unknown>[] => {
    const found: Record<string, unknown>[] = [];
    const walk = (n: unknown): void => {
      if (Array.isArray(n)) n.forEach(walk);
      else if (n && typeof n === 'object') {
        found.push(n as Record<string, unknown>);
        Object.values(n).forEach(walk);
      }
    };
    walk(card);
    return found;
  };
  const template = (name: string) => JSON.parse(readFileSync(path.join(cardsDir, `${name}.json`), 'utf8')) as unknown;

  it.each(names)('%s: every input has a label; a required input says what is wrong; no low-contrast green', (name) => {
    for (const n of nodes(template(name))) {
      if (typeof n.type === 'string' && n.type.startsWith('Input.')) expect(n.label, `${name}: ${n.id}`).toBeTruthy();
      if (n.isRequired) expect(n.errorMessage, `${name}: ${n.id}`).toBeTruthy();
      expect(n.color, name).not.toBe('Good'); // 2.1:1 on a light theme, and colour must not carry the meaning
    }
  });

  it('buttons that leave a step do not validate its inputs (Back, Cancel, a new code)', () => {
    for (const name of ['phone-entry', 'code-entry']) {
      for (const n of nodes(template(name))) {
        if (n.type === 'Action.Submit' && /^(Back|Cancel|Send a new code)$/.test(String(n.title)))
          expect(n.associatedInputs, `${name}: ${n.title}`).toBe('none');
      }
    }
  });
});
