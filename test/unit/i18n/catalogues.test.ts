// The four catalogues in /locales: complete, well-formed ICU, the same arguments in every language, and the formats
// (plurals, numbers, dates) right for each language.
import { parse, TYPE } from '@formatjs/icu-messageformat-parser';
import { describe, expect, it } from 'vitest';
import { catalogue, LANGUAGES, languageOf, languageOfHeader, type MessageKey, t } from '../../../src/i18n/i18n.js';
import { StepUpError } from '../../../src/identity/step-up-errors.js';
import { clockTime, dateTime } from '../../../src/time.js';

const english = catalogue('en');
const keys = Object.keys(english) as MessageKey[];

/** Every argument a message uses, with its type ("name:argument", "n:plural", …), nested ones included. */
function argumentsOf(message: string): string[] {
  const found = new Set<string>();
  const walk = (elements: ReturnType<typeof parse>) => {
    for (const el of elements) {
      if (el.type === TYPE.argument) found.add(`${el.value}:argument`);
      if (el.type === TYPE.number) found.add(`${el.value}:number`);
      if (el.type === TYPE.plural) found.add(`${el.value}:plural`);
      if (el.type === TYPE.select) found.add(`${el.value}:select`);
      if (el.type === TYPE.plural || el.type === TYPE.select)
        for (const option of Object.values(el.options)) walk(option.value);
    }
  };
  walk(parse(message, { ignoreTag: true }));
  return [...found].sort();
}

/** The options of every select in a message ("type: mobile|alternateMobile|…"). */
function selectOptions(message: string): string[] {
  const found: string[] = [];
  const walk = (elements: ReturnType<typeof parse>) => {
    for (const el of elements) {
      if (el.type === TYPE.select) found.push(`${el.value}: ${Object.keys(el.options).sort().join('|')}`);
      if (el.type === TYPE.plural || el.type === TYPE.select)
        for (const option of Object.values(el.options)) walk(option.value);
    }
  };
  walk(parse(message, { ignoreTag: true }));
  return found.sort();
}

describe('message catalogues', () => {
  it('English has the messages the code uses (more than 200)', () => {
    expect(keys.length).toBeGreaterThan(200);
  });

  it.each(LANGUAGES.filter((l) => l !== 'en'))('%s has exactly the English keys, none empty', (lang) => {
    const other = catalogue(lang);
    expect(Object.keys(other).sort()).toEqual([...keys].sort());
    expect(Object.entries(other).filter(([, v]) => v.trim() === '')).toEqual([]);
  });

  it.each(LANGUAGES.filter((l) => l !== 'en'))(
    '%s: every message parses and uses the same arguments and select options as English',
    (lang) => {
      const other = catalogue(lang);
      const mismatches = keys.filter(
        (key) =>
          JSON.stringify(argumentsOf(other[key] as string)) !== JSON.stringify(argumentsOf(english[key] as string)) ||
          JSON.stringify(selectOptions(other[key] as string)) !== JSON.stringify(selectOptions(english[key] as string)),
      );
      expect(mismatches).toEqual([]);
    },
  );

  it('the translations are translations: at most a handful of messages are identical to English', () => {
    for (const lang of LANGUAGES.filter((l) => l !== 'en')) {
      const same = keys.filter((k) => catalogue(lang)[k] === english[k]);
      // Proper names and codes ("Code", "UTC", "Microsoft Authenticator"…) may stay as they are.
      expect(same.length, `${lang}: ${same.join(', ')}`).toBeLessThan(8);
    }
  });

  it('plurals follow each language (one / other)', () => {
    expect(t('en', 'flow.wrongCode', { triesLeft: 1 })).toBe("That code doesn't match. 1 try left.");
    expect(t('en', 'flow.wrongCode', { triesLeft: 3 })).toBe("That code doesn't match. 3 tries left.");
    expect(t('de', 'flow.wrongCode', { triesLeft: 1 })).toBe('Dieser Code stimmt nicht. Noch 1 Versuch.');
    expect(t('de', 'flow.wrongCode', { triesLeft: 4 })).toBe('Dieser Code stimmt nicht. Noch 4 Versuche.');
    expect(t('es', 'flow.wrongCode', { triesLeft: 2 })).toBe('Ese código no coincide. Te quedan 2 intentos.');
    // French: 0 and 1 are "one".
    expect(t('fr', 'flow.wrongCode', { triesLeft: 1 })).toBe('Ce code ne correspond pas. Il reste 1 essai.');
    expect(new StepUpError('sign-in-busy', { retryAfterSeconds: 1 }).userMessageIn('de')).toMatch(
      /in 1 Sekunde erneut\.$/,
    );
    expect(new StepUpError('sign-in-busy', { retryAfterSeconds: 0 }).userMessageIn('fr')).toMatch(
      /Réessayez maintenant\.$/,
    );
  });

  it('numbers and dates are formatted for the language, in the user time zone', () => {
    expect(t('en', 'chat.tooLong', { length: 250_000 })).toContain('250,000 characters');
    expect(t('de', 'chat.tooLong', { length: 250_000 })).toContain('250.000 Zeichen');
    expect(t('fr', 'chat.tooLong', { length: 250_000 })).toMatch(/250\s000 caractères/);
    const at = Date.UTC(2026, 10, 29, 13, 5);
    expect(dateTime(at, 'Europe/Berlin', 'en')).toBe('29 Nov 2026, 14:05 CET');
    expect(dateTime(at, 'Europe/Berlin', 'de')).toBe('29. Nov. 2026, 14:05 MEZ');
    expect(clockTime(at, 'America/New_York', 'es')).toMatch(/^8:05|^08:05/);
  });

  it('a select with an unknown value falls back to its "other" branch instead of throwing', () => {
    expect(t('de', 'phone.title', { type: 'satellite' })).toBe('Telefon');
  });
});

describe('choosing the language', () => {
  it('from a locale', () => {
    expect(languageOf('de-DE')).toBe('de');
    expect(languageOf('fr_CA')).toBe('fr');
    expect(languageOf('ES')).toBe('es');
    expect(languageOf('it-IT')).toBeUndefined();
    expect(languageOf(42)).toBeUndefined();
    expect(languageOf('x'.repeat(100))).toBeUndefined();
  });

  it("from a browser's Accept-Language, by preference", () => {
    expect(languageOfHeader('it-IT,it;q=0.9,fr;q=0.8,en;q=0.5')).toBe('fr');
    expect(languageOfHeader('de-CH')).toBe('de');
    expect(languageOfHeader('ja')).toBeUndefined();
    expect(languageOfHeader(undefined)).toBeUndefined();
  });
});
