// "Did you mean …?" for keys, tensor names and column names. Case, `_`, `-`
// and spaces are ignored first, since `class_labels` and `ClassLabels` are
// the usual misspellings of `classLabels`; then an edit distance (with
// transpositions) bounded by a third of the word's length.

export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const m = a.length;
  const n = b.length;
  if (m === 0) return n;
  if (n === 0) return m;
  // Three rows suffice for the optimal-string-alignment distance.
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n]!;
}

function normalise(s: string): string {
  return s.toLowerCase().replace(/[\s_-]+/g, '');
}

/** The closest candidate to `word`, or undefined when none is close enough. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const w = normalise(word);
  if (w.length === 0 || w.length > 200) return undefined;
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    if (c === word) continue;
    const d = editDistance(w, normalise(c));
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(1, Math.min(3, Math.floor(Math.max(w.length, normalise(best).length) / 3)));
  return bestD <= limit ? best : undefined;
}

/** `; did you mean "x"?` or the empty string, for appending to a message. */
export function didYouMean(word: string, candidates: Iterable<string>): { text: string; suggestion?: string } {
  const s = closest(word, candidates);
  return s === undefined ? { text: '' } : { text: `did you mean "${s}"?`, suggestion: s };
}
