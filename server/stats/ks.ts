// Two-sample Kolmogorov–Smirnov test: D = sup_x |F_ref(x) − F_cur(x)| and
// its asymptotic p-value from the Kolmogorov distribution at
// λ = D · √(n·m / (n + m)) (scipy's kstwobign; good for the sample sizes
// drift checks see, conservative-ish for very small ones).

export interface KsResult {
  statistic: number;
  pValue: number;
}

/** D for two sorted samples; ties are stepped over together so equal values never open a gap. */
export function ksStatistic(aSorted: ArrayLike<number>, bSorted: ArrayLike<number>): number {
  const n = aSorted.length;
  const m = bSorted.length;
  if (n === 0 || m === 0) return Number.NaN;
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n && j < m) {
    const a = aSorted[i] as number;
    const b = bSorted[j] as number;
    const x = a <= b ? a : b;
    while (i < n && (aSorted[i] as number) <= x) i++;
    while (j < m && (bSorted[j] as number) <= x) j++;
    const gap = Math.abs(i / n - j / m);
    if (gap > d) d = gap;
  }
  // Once one sample is exhausted its CDF is 1; the other only climbs to 1,
  // so the gap can only shrink: the loop has already seen the supremum.
  return d;
}

/**
 * Survival function of the Kolmogorov distribution, Q(λ) = P(K > λ).
 * Two series, each used where it converges in a few terms:
 *   λ < 1.18: Q = 1 − (√(2π)/λ) Σ_{k≥1} exp(−(2k−1)²π² / (8λ²))
 *   else:     Q = 2 Σ_{k≥1} (−1)^{k−1} exp(−2k²λ²)
 */
export function kolmogorovSurvival(lambda: number): number {
  if (!(lambda > 0)) return 1;
  if (lambda < 1.18) {
    const c = (Math.PI * Math.PI) / (8 * lambda * lambda);
    let sum = 0;
    for (let k = 1; k < 100; k++) {
      const t = Math.exp(-(2 * k - 1) * (2 * k - 1) * c);
      sum += t;
      if (t < 1e-17 * sum) break;
    }
    return clamp01(1 - (Math.sqrt(2 * Math.PI) / lambda) * sum);
  }
  let sum = 0;
  for (let k = 1; k < 100; k++) {
    const t = Math.exp(-2 * k * k * lambda * lambda);
    sum += k % 2 === 1 ? t : -t;
    if (t < 1e-17) break;
  }
  return clamp01(2 * sum);
}

export function ksTest(aSorted: ArrayLike<number>, bSorted: ArrayLike<number>): KsResult {
  const n = aSorted.length;
  const m = bSorted.length;
  const statistic = ksStatistic(aSorted, bSorted);
  if (Number.isNaN(statistic)) return { statistic, pValue: Number.NaN };
  const en = (n * m) / (n + m);
  return { statistic, pValue: kolmogorovSurvival(statistic * Math.sqrt(en)) };
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}
