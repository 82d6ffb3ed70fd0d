// The recogniser looks words up in a symmetric-delete index instead of comparing every token with every lexicon word.
// It must accept exactly what the plain comparison accepts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FuzzyIndex, fuzzyEquals } from '../../../src/recognizer/fuzzy.js';
import { LEXICON } from '../../../src/recognizer/lexicon.js';

const words = [
  ...new Set(
    Object.values(LEXICON).flatMap((byLanguage) =>
      Object.values(byLanguage).flatMap((p) => p.flatMap((x) => x.split(' '))),
    ),
  ),
];
const index = new FuzzyIndex(words);
const brute = (token: string) => new Set(words.filter((w) => fuzzyEquals(w, token)));

describe('FuzzyIndex', () => {
  it.each([['chnage'], ['numbr'], ['autheticator'], ['verificaton'], ['mfa'], ['phone'], ['ofice'], ['xyz'], ['']])(
    '%j matches the same words as fuzzyEquals',
    (token) => {
      expect(index.matching(token)).toEqual(brute(token));
    },
  );

  it('a token longer than any word (a 2,000-letter "word") matches nothing, at once', () => {
    expect(index.matching('x'.repeat(2000))).toEqual(new Set());
  });

  it('equals fuzzyEquals on 2,000 random typos of lexicon words', () => {
    const typo = fc
      .tuple(fc.constantFrom(...words), fc.nat(20), fc.constantFrom('', 'a', 'e', 'x'), fc.nat(2))
      .map(([w, at, ch, op]) => {
        const i = at % (w.length + 1);
        if (op === 0) return w.slice(0, i) + ch + w.slice(i); // insert
        if (op === 1) return w.slice(0, i) + w.slice(i + 1); // delete
        return w.slice(0, i) + w.slice(i + 1, i + 2) + w.slice(i, i + 1) + w.slice(i + 2); // swap neighbours
      });
    fc.assert(
      fc.property(typo, (token) => {
        expect(index.matching(token)).toEqual(brute(token));
      }),
      { numRuns: 2000 },
    );
  });
});
