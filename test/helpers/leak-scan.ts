import { scrubText } from '../../src/mask.js';

/**
 * Log lines that would change if masked again: a raw phone number or a token got through. The numeric "time" field
 * is left out (it is a timestamp, not a number anyone typed).
 */
export function leakingLines(lines: string[]): string[] {
  return lines.filter((line) => {
    const withoutTime = line.replace(/"time":\d+,?/, '');
    return scrubText(withoutTime) !== withoutTime;
  });
}
