import { describe, expect, it } from 'vitest';
import { maskPhone, scrubText } from '../../src/mask.js';
import { captureLogs } from '../helpers/log-capture.js';

describe('maskPhone', () => {
  it.each([
    ['+1 4255550123', '+1 ••• ••• 01 23'],
    ['+1 4255550123x45', '+1 ••• ••• 01 23'],
    ['+49 1761234567', '+49 ••• ••• 45 67'],
    ['+44 7700 900123', '+44 ••• ••• 01 23'],
    ['+353 851234', '+353 ••• ••• 12 34'],
    ['+49 17655501234', '+49 ••• ••• 12 34'],
    ['garbage', '••• •••'],
    ['+1 12', '••• •••'],
  ])('%s -> %s', (input, expected) => {
    expect(maskPhone(input)).toBe(expected);
  });
});

describe('scrubText', () => {
  it('masks phone numbers with and without a plus, keeps ids and timestamps readable', () => {
    const text =
      'call +1 425 555 0123 or 0176 1234567; id 3179e48a-750b-4051-897c-87b9720928f7 at 2026-11-28T05:03:42Z';
    const out = scrubText(text);
    expect(out).not.toMatch(/425 555 0123|0176 1234567/);
    expect(out).toContain('+1 ••• ••• 01 23');
    expect(out).toContain('3179e48a-750b-4051-897c-87b9720928f7');
    expect(out).toContain('2026-11-28T05:03:42Z');
  });

  it('strips JWTs and bearer tokens', () => {
    const out = scrubText('got eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl and Bearer abc.def-ghijkl');
    expect(out).toBe('got [redacted-token] and Bearer [redacted]');
  });
});

describe('logger', () => {
  it('masks numbers in messages and fields and redacts secrets by name', () => {
    const { logger, lines } = captureLogs();
    logger.info(
      {
        phoneNumber: '+44 7700900123',
        note: 'new number +44 7700900123',
        headers: { authorization: 'Bearer x' },
        password: 'p',
      },
      'user asked to use +44 7700 900123',
    );
    const line = lines.join('\n');
    expect(line).not.toMatch(/7700 ?900 ?123/);
    expect(line).not.toContain('Bearer x');
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ password: '[redacted]', phoneNumber: '+44 ••• ••• 01 23' });
  });

  it('masks numbers inside logged errors', () => {
    const { logger, lines } = captureLogs();
    logger.error({ err: new Error('Graph refused +1 4255550123') }, 'failed');
    expect(lines.join('\n')).not.toContain('4255550123');
  });
});
