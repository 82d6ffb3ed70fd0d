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
