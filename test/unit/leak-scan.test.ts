import { describe, expect, it } from 'vitest';
import { leakingLines } from '../helpers/leak-scan.js';

describe('leakingLines (used on every integration test bot and the e2e output)', () => {
  it('finds raw numbers and tokens, ignores masked numbers, ids and timestamps', () => {
    const lines = [
      '{"level":30,"time":1795845446299,"msg":"ok","oid":"0a1e0000-0000-4000-8000-000000000020"}',
      '{"level":30,"time":1795845446299,"msg":"to +1 ••• ••• 01 00"}',
      '{"level":30,"msg":"sms to +1 4255550100"}',
      '{"level":30,"msg":"token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"}',
    ];
    expect(leakingLines(lines)).toEqual([lines[2], lines[3]]);
  });

  it('finds a known test number even where the masking would miss it (no plus, odd separators)', () => {
    expect(leakingLines(['{"msg":"number is 425.555.0177"}', '{"msg":"digits 1765 5501 234"}'])).toHaveLength(2);
  });
});
