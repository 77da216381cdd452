// Correctness under load: responses captured while the server was busy
// (and batching) must equal what the same rows give when sent alone, one at
// a time, after the load — numbers within a float tolerance, everything else
// exactly.
import type { CapturedResponse } from './loadgenProtocol';

export interface Comparison {
  equal: boolean;
  /** Largest |a − b| over numeric leaves (0 when there are none). */
  maxAbsDiff: number;
  /** First difference, as a JSON path and both values, when not equal. */
  where?: string;
}

/** Deep comparison of two JSON values; numbers may differ by at most `tol`. */
export function compareJson(a: unknown, b: unknown, tol: number, path = '$'): Comparison {
  if (typeof a === 'number' && typeof b === 'number') {
    const d = Math.abs(a - b);
    const equal = d <= tol || (Number.isNaN(a) && Number.isNaN(b));
    return equal ? { equal, maxAbsDiff: Number.isNaN(d) ? 0 : d } : { equal, maxAbsDiff: d, where: `${path}: ${a} vs ${b}` };
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return { equal: false, maxAbsDiff: 0, where: `${path}: ${a.length} items vs ${b.length}` };
    let max = 0;
    let first: string | undefined;
    for (let i = 0; i < a.length; i++) {
      const c = compareJson(a[i], b[i], tol, `${path}[${i}]`);
      if (c.maxAbsDiff > max) max = c.maxAbsDiff;
      if (!c.equal && !first) first = c.where;
    }
    return first ? { equal: false, maxAbsDiff: max, where: first } : { equal: true, maxAbsDiff: max };
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    if (ka.join('\u0000') !== kb.join('\u0000')) return { equal: false, maxAbsDiff: 0, where: `${path}: keys {${ka.join(', ')}} vs {${kb.join(', ')}}` };
    let max = 0;
    let first: string | undefined;
    for (const k of ka) {
      const c = compareJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], tol, `${path}.${k}`);
      if (c.maxAbsDiff > max) max = c.maxAbsDiff;
      if (!c.equal && !first) first = c.where;
    }
    return first ? { equal: false, maxAbsDiff: max, where: first } : { equal: true, maxAbsDiff: max };
  }
  return a === b ? { equal: true, maxAbsDiff: 0 } : { equal: false, maxAbsDiff: 0, where: `${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}` };
}

/** The `predictions` of a TF Serving response body, or an error text. */
export function predictionsOf(status: number, body: string): { ok: true; value: unknown } | { ok: false; why: string } {
  if (status < 200 || status >= 300) return { ok: false, why: `HTTP ${status}: ${body.slice(0, 200)}` };
  try {
    const parsed = JSON.parse(body) as { predictions?: unknown };
    if (parsed && typeof parsed === 'object' && 'predictions' in parsed) return { ok: true, value: parsed.predictions };
    return { ok: false, why: `response has no "predictions": ${body.slice(0, 200)}` };
  } catch {
    return { ok: false, why: `response is not JSON: ${body.slice(0, 200)}` };
  }
}

export interface CorrectnessResult {
  sampled: number;
  mismatches: number;
  maxAbsDiff: number;
  tolerance: number;
  /** A few mismatches, for the report. */
  examples: string[];
}

/**
 * Compares every captured response with the reference for its row.
 * `reference(row)` is asked once per distinct row.
 */
export async function checkCorrectness(
  captured: CapturedResponse[],
  reference: (row: number) => Promise<{ status: number; body: string }>,
  tolerance: number,
): Promise<CorrectnessResult> {
  const refs = new Map<number, ReturnType<typeof predictionsOf>>();
  let mismatches = 0;
  let maxAbsDiff = 0;
  const examples: string[] = [];
  const miss = (why: string) => {
    mismatches++;
    if (examples.length < 5) examples.push(why);
  };
  for (const c of captured) {
    let ref = refs.get(c.row);
    if (!ref) {
      const r = await reference(c.row);
      ref = predictionsOf(r.status, r.body);
      refs.set(c.row, ref);
    }
    const got = predictionsOf(c.status, c.body);
    if (!ref.ok) {
      miss(`row ${c.row}: the unbatched reference request failed: ${ref.why}`);
      continue;
    }
    if (!got.ok) {
      miss(`row ${c.row}: the response under load failed: ${got.why}`);
      continue;
    }
    const cmp = compareJson(got.value, ref.value, tolerance, 'predictions');
    if (cmp.maxAbsDiff > maxAbsDiff) maxAbsDiff = cmp.maxAbsDiff;
    if (!cmp.equal) miss(`row ${c.row}: under load ${cmp.where} (unbatched)`);
  }
  return { sampled: captured.length, mismatches, maxAbsDiff, tolerance, examples };
}
