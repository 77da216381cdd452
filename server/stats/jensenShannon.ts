// Jensen–Shannon distance in base 2: √JS(p‖q), where
// JS = ½ KL(p‖m) + ½ KL(q‖m), m = (p + q) / 2. Symmetric, finite even for
// disjoint supports, and in [0, 1] (1 = no overlap at all).

/** JS distance between two non-negative weight vectors over the same categories (normalised here). */
export function jensenShannonDistance(p: ArrayLike<number>, q: ArrayLike<number>): number {
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < p.length; i++) sp += p[i] as number;
  for (let i = 0; i < q.length; i++) sq += q[i] as number;
  if (!(sp > 0) || !(sq > 0)) return Number.NaN;
  let js = 0;
  const len = Math.max(p.length, q.length);
  for (let i = 0; i < len; i++) {
    const a = (p[i] ?? 0) / sp;
    const b = (q[i] ?? 0) / sq;
    const m = (a + b) / 2;
    // 0 · log 0 = 0; m > 0 whenever a or b is.
    if (a > 0) js += 0.5 * a * Math.log2(a / m);
    if (b > 0) js += 0.5 * b * Math.log2(b / m);
  }
  // Rounding can leave a tiny negative or a hair above 1.
  return Math.sqrt(Math.min(1, Math.max(0, js)));
}
