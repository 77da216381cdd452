// Independent reference implementations for the statistics tests: the
// normal CDF from erf's Taylor series, its inverse by bisection, and a
// seeded PRNG. Deliberately naive, so they share no code with the engine.

/** erf by its Maclaurin series; accurate to ~1e-12 for |x| < 3. */
export function erf(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    const t = term / (2 * n + 1);
    sum += t;
    if (Math.abs(t) < 1e-17) break;
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

export function normalCdf(x: number): number {
  if (x < -6) return 0;
  if (x > 6) return 1;
  return 0.5 * (1 + erf(x / Math.SQRT2));
}

export function normalQuantile(p: number): number {
  let lo = -8;
  let hi = 8;
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * n values of N(mu, 1) at the stratified probabilities (i + ½)/n: an
 * "ideal" sample whose empirical distribution matches the normal closely,
 * so sample statistics approach their analytic values without noise.
 */
export function stratifiedNormal(n: number, mu: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = mu + normalQuantile((i + 0.5) / n);
  return out;
}

/** mulberry32: a small seeded PRNG in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function sorted(xs: ArrayLike<number>): Float64Array {
  return Float64Array.from(xs).sort();
}
