/** Optimal-string-alignment distance (Levenshtein plus adjacent transposition), capped: returns max+1 once exceeded. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (prevPrev[j - 2] ?? 0) + 1);
      cur.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > max) return max + 1;
    prevPrev = prev;
    prev = cur;
  }
  return prev[b.length] ?? max + 1;
}

/** How many typos a word of this length tolerates: none for short words (mfa, 2fa), one from 5 letters, two from 11. */
export function typoBudget(term: string): number {
  if (term.length >= 11) return 2;
  if (term.length >= 5) return 1;
  return 0;
}

export function fuzzyEquals(term: string, token: string): boolean {
  if (term === token) return true;
  const budget = typoBudget(term);
  return budget > 0 && editDistance(term, token, budget) <= budget;
}

/** Every string made by deleting up to `n` characters of `word` (the word itself included). */
function deletions(word: string, n: number, into = new Set<string>()): Set<string> {
  into.add(word);
  if (n === 0) return into;
  for (let i = 0; i < word.length; i++) deletions(word.slice(0, i) + word.slice(i + 1), n - 1, into);
  return into;
}

/**
 * The words of a vocabulary that a token matches under `fuzzyEquals`, found without comparing the token with every
 * word (symmetric-delete lookup: two strings within edit distance d share a string made by deleting at most d
 * characters from each). Candidates are then confirmed with the exact distance, so results equal `fuzzyEquals`.
 */
export class FuzzyIndex {
  private readonly byDeletion = new Map<string, string[]>();
  private readonly maxBudget: number;
  private readonly maxLength: number;

  constructor(words: Iterable<string>) {
    let max = 0;
    let longest = 0;
    for (const word of new Set(words)) {
      const budget = typoBudget(word);
      max = Math.max(max, budget);
      longest = Math.max(longest, word.length);
      for (const variant of deletions(word, budget)) {
        const list = this.byDeletion.get(variant);
        if (list) list.push(word);
        else this.byDeletion.set(variant, [word]);
      }
    }
    this.maxBudget = max;
    this.maxLength = longest;
  }

  /** The vocabulary words `fuzzyEquals(word, token)` accepts. */
  matching(token: string): Set<string> {
    const found = new Set<string>();
    // Longer than any word plus its typos: nothing can match (and a 2,000-letter token has ~2 million deletions).
    if (token.length > this.maxLength + this.maxBudget) return found;
    for (const variant of deletions(token, this.maxBudget)) {
      for (const word of this.byDeletion.get(variant) ?? []) {
        if (!found.has(word) && fuzzyEquals(word, token)) found.add(word);
      }
    }
    return found;
  }
}
