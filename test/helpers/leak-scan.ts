import { scrubText } from '../../src/mask.js';
import { demoBusinessPhones, demoSecurityInfo } from '../../src/sandbox/graph/demo-methods.js';

/** National numbers the tests use (sandbox people and numbers typed in tests), as digits. */
const KNOWN_NUMBERS: string[] = [
  ...[...demoSecurityInfo().values()].flatMap((info) => Object.values(info.phones)),
  ...[...demoBusinessPhones().values()].flat(),
  '+1 4255550177',
  '+1 4255550166',
  '+1 4255550155',
  '+1 4255550144',
  '+1 4255550199',
  '+1 4255550188',
  '+49 17655501234',
  '+1 2065550100',
]
  .filter((n): n is string => Boolean(n))
  .map((n) => n.replace(/x\d+$/, '').split(' ').slice(1).join('').replace(/\D/g, ''));

/** Each known number, with any separators people or formatters put between digits. */
const KNOWN = KNOWN_NUMBERS.map((digits) => new RegExp(digits.split('').join('[\\s().-]{0,2}')));

/**
 * Log lines that hold a raw phone number or a token. Two independent nets: any number the tests are known to use, in
 * any formatting; and anything the masking function would still change (so a new format shows up too). The numeric
 * "time" field is left out of the second check (it is a timestamp, not a number anyone typed).
 */
export function leakingLines(lines: string[]): string[] {
  return lines.filter((line) => {
    if (KNOWN.some((re) => re.test(line))) return true;
    const withoutTime = line.replace(/"time":\d+,?/, '');
    return scrubText(withoutTime) !== withoutTime;
  });
}
