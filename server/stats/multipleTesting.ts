// Benjamini–Hochberg adjusted p-values (Benjamini & Hochberg 1995): with m
// tests, the i-th smallest p-value p(i) becomes min over j ≥ i of
// m · p(j) / j, capped at 1. Calling a test significant when its adjusted
// p-value is below q keeps the expected share of false discoveries among
// the significant ones at or below q (for independent or positively
// dependent tests). When nothing really changed, every discovery is false,
// so the chance of flagging anything at all is at most q.

/** Adjusted p-values, in the order of `pValues`. NaN stays NaN and is not counted among the m tests. */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const order = pValues
    .map((p, i) => ({ p, i }))
    .filter((x) => !Number.isNaN(x.p))
    .sort((a, b) => a.p - b.p);
  const m = order.length;
  const adjusted = pValues.map(() => Number.NaN);
  let running = 1;
  for (let k = m - 1; k >= 0; k--) {
    const { p, i } = order[k]!;
    running = Math.min(running, (m * p) / (k + 1));
    adjusted[i] = Math.min(1, running);
  }
  return adjusted;
}
