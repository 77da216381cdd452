// Small numeric helpers shared by the drift statistics. Everything works on
// sorted Float64Arrays of finite values, sorted once per column and reused
// by every statistic (sorting dominates the cost on large data).

/** The finite values of `values`, sorted ascending (NaN and ±Infinity dropped). */
export function finiteSorted(values: ArrayLike<number>): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) n++;
  const out = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isFinite(v)) out[k++] = v;
  }
  // Typed-array sort is numeric (no string comparison).
  return out.sort();
}

export function mean(values: ArrayLike<number>): number {
  if (values.length === 0) return Number.NaN;
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i] as number;
  return s / values.length;
}

/** Population standard deviation (ddof = 0, as numpy's np.std). */
export function populationStd(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const m = mean(values);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = (values[i] as number) - m;
    s += d * d;
  }
  return Math.sqrt(s / n);
}

/** Number of elements ≤ x in a sorted array (upper bound). */
export function countAtMost(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Quantile with linear interpolation between order statistics (numpy's default, Hyndman–Fan type 7). */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (h - lo) * (b - a);
}
