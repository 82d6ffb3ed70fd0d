import { describe, expect, it } from 'vitest';
import { type PhoneInput, parsePhone, splitGraphNumber } from '../../../src/phone/phone-number.js';

describe('parsePhone: accepted and normalised to Graph format', () => {
  it.each([
    [{ country: 'US', number: '(425) 555-0123', type: 'mobile' }, '+1 4255550123'],
    [{ country: 'DE', number: '0176 12345678', type: 'mobile' }, '+49 17612345678'],
    [{ country: 'FR', number: '06 12 34 56 78', type: 'alternateMobile' }, '+33 612345678'],
    [{ number: '+44 7400 123456', type: 'mobile' }, '+44 7400123456'],
    [{ country: 'ES', number: '+44 7400 123456', type: 'mobile' }, '+44 7400123456'],
    [{ country: 'DE', number: '030 12345678', type: 'office', extension: '123' }, '+49 3012345678x123'],
    [{ country: 'US', number: '425 555 0123 ext. 77', type: 'office' }, '+1 4255550123x77'],
  ] as [PhoneInput, string][])('%j -> %s', (input, graph) => {
    const result = parsePhone(input);
    expect(result).toMatchObject({ ok: true, graph });
    if (result.ok) expect(splitGraphNumber(result.graph)).toBeDefined();
  });
});

describe('parsePhone: refused with a specific problem', () => {
  it.each([
    [{ country: 'DE', number: '   ', type: 'mobile' }, 'empty'],
    [{ number: '0176 12345678', type: 'mobile' }, 'unknown-country'],
    [{ country: 'ZZ', number: '0176 12345678', type: 'mobile' }, 'unknown-country'],
    [{ country: 'DE', number: 'call me maybe', type: 'mobile' }, 'not-a-number'],
    [{ country: 'DE', number: '12', type: 'mobile' }, 'short-code'],
    [{ country: 'US', number: '911', type: 'mobile' }, 'short-code'],
    [{ country: 'DE', number: '112', type: 'alternateMobile' }, 'short-code'],
    [{ country: 'US', number: '<script>alert(1)</script>', type: 'mobile' }, 'not-a-number'],
    [{ country: 'DE', number: '0176 12', type: 'mobile' }, 'too-short'],
    [{ country: 'DE', number: '030 12345678', type: 'mobile' }, 'not-mobile'],
    [{ country: 'DE', number: '030 12345678', type: 'alternateMobile' }, 'not-mobile'],
    [{ country: 'GB', number: '07400 123456', type: 'mobile', extension: '12' }, 'extension-not-allowed'],
    [{ country: 'US', number: '425 555 0123', type: 'office', extension: '12a' }, 'extension-invalid'],
    [
      { country: 'FR', number: '06 12 34 56 78', type: 'mobile', allowedCountries: ['DE', 'AT'] },
      'country-not-allowed',
    ],
  ] as [PhoneInput, string][])('%j -> %s', (input, problem) => {
    const result = parsePhone(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problem).toBe(problem);
      expect(result.message.length).toBeGreaterThan(10);
    }
  });
});

describe('parsePhone: numbers that cost the organisation are refused for every type and channel', () => {
  it.each([
    [{ number: '+1 900 555 0100', type: 'alternateMobile', landlineAllowed: true }],
    [{ number: '+1 900 234 5678', type: 'office' }],
    [{ number: '+1 900 234 5678', type: 'mobile' }],
    [{ country: 'GB', number: '0909 879 0000', type: 'alternateMobile', landlineAllowed: true }],
    [{ country: 'GB', number: '0844 333 4444', type: 'office' }],
    [{ country: 'GB', number: '070 1234 5678', type: 'office' }],
    [{ country: 'GB', number: '055 1234 5678', type: 'office' }],
    [{ country: 'FR', number: '08 91 23 45 67', type: 'alternateMobile', landlineAllowed: true }],
  ] as [PhoneInput][])('%j -> costly', (input) => {
    expect(parsePhone(input)).toMatchObject({ ok: false, problem: 'costly' });
  });

  it('an ordinary landline is still fine for an alternate proven by a call and for an office phone', () => {
    expect(
      parsePhone({ country: 'GB', number: '020 7946 0001', type: 'alternateMobile', landlineAllowed: true }),
    ).toMatchObject({ ok: true });
    expect(parsePhone({ country: 'US', number: '206 555 0100', type: 'office' })).toMatchObject({ ok: true });
  });
});
