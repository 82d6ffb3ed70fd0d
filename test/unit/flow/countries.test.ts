// The number card's countries: every region libphonenumber knows, named and sorted for the user's locale, the
// example number of the chosen country, and a default country from the user's numbers or locale.
import { getCountries } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { defaultCountry } from '../../../src/flow/change-steps.js';
import { countryChoices, examplePlaceholder } from '../../../src/flow/views.js';

describe('countries on the number card', () => {
  it('lists every region libphonenumber knows, once, with its calling code', () => {
    const choices = countryChoices('en');
    expect(choices.map((c) => c.value).sort()).toEqual([...getCountries()].sort());
    expect(choices).toContainEqual({ title: 'Kosovo (+383)', value: 'XK' });
    expect(choices).toContainEqual({ title: 'United States (+1)', value: 'US' });
  });

  it('names and sorts them for the locale (German: Ägypten before Albanien, Deutschland under D)', () => {
    const names = countryChoices('de-DE').map((c) => c.title);
    expect(names.indexOf('Ägypten (+20)')).toBeLessThan(names.indexOf('Albanien (+355)'));
    expect(names).toContain('Deutschland (+49)');
    const english = countryChoices('en').map((c) => c.title);
    expect(english.indexOf('Afghanistan (+93)')).toBe(0);
  });

  it('shows the example number of the chosen country (not a German one on a US card)', () => {
    expect(examplePlaceholder('US')).toBe('e.g. (201) 555-0123 or +1 201 555 0123');
    expect(examplePlaceholder('DE')).toMatch(/^e\.g\. 0\d[\d ]+ or \+49 /);
    expect(examplePlaceholder('ZZ')).toBe('e.g. +1 201 555 0123');
  });

  it.each([
    [{ phones: { mobile: '+44 7400123456' }, others: [], systemPreferredEnabled: false }, 'de-DE', 'GB'],
    // No number yet: the directory's usage location comes before the chat client's locale.
    [{ phones: {}, others: [], systemPreferredEnabled: false, usageLocation: 'CA' }, 'de-DE', 'CA'],
    [{ phones: {}, others: [], systemPreferredEnabled: false, usageLocation: 'ZZ' }, 'de-DE', 'DE'],
    [undefined, 'de-DE', 'DE'],
    [undefined, 'fr', 'FR'],
    [undefined, 'es-MX', 'MX'],
    [undefined, 'not a locale', 'US'],
    [undefined, undefined, 'US'],
  ] as const)('default country: numbers %j, locale %s → %s', (info, locale, country) => {
    expect(defaultCountry(info as never, locale)).toBe(country);
  });
});
