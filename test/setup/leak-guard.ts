// After each test file: no log line captured anywhere in it may hold a raw phone number or a token.
import { afterAll, expect } from 'vitest';
import { leakingLines } from '../helpers/leak-scan.js';
import { allCapturedLines } from '../helpers/log-capture.js';

afterAll(() => {
  expect(leakingLines(allCapturedLines), 'raw phone numbers or tokens in captured log lines').toEqual([]);
});
