// Number and time formatting for the report. Fixed locale so the same report
// reads the same everywhere; missing values show as an em dash, never "NaN".
const DASH = '—';

const ok = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** A general value: 4 significant digits, thousands separators, tiny values in exponent form. */
export function num(v: number | null | undefined, sig = 4): string {
  if (!ok(v)) return DASH;
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 10_000) return Math.round(v).toLocaleString('en-US');
  if (a < 1e-3) return v.toExponential(2);
  return Number(v.toPrecision(sig)).toLocaleString('en-US', { maximumFractionDigits: 6 });
}

export function int(v: number | null | undefined): string {
  return ok(v) ? Math.round(v).toLocaleString('en-US') : DASH;
}

export function signed(v: number | null | undefined, sig = 3): string {
  if (!ok(v)) return DASH;
  return (v > 0 ? '+' : v < 0 ? '−' : '±') + num(Math.abs(v), sig);
}

export function pct(v: number | null | undefined, digits = 1): string {
  return ok(v) ? `${(v * 100).toFixed(digits)} %` : DASH;
}

export function signedPct(v: number | null | undefined, digits = 1): string {
  return ok(v) ? `${v > 0 ? '+' : v < 0 ? '−' : '±'}${Math.abs(v * 100).toFixed(digits)} %` : DASH;
}

/** Microseconds as µs below 1 ms, else ms (or s). */
export function latency(us: number | null | undefined): string {
  if (!ok(us)) return DASH;
  if (us < 1000) return `${Math.round(us)} µs`;
  if (us < 1_000_000) return `${num(us / 1000, 3)} ms`;
  return `${num(us / 1_000_000, 3)} s`;
}

export function rps(v: number | null | undefined): string {
  return ok(v) ? `${v >= 100 ? int(v) : num(v, 3)} req/s` : DASH;
}

export function days(v: number | null | undefined): string {
  return ok(v) ? `${v.toFixed(v < 10 ? 1 : 0)} days` : DASH;
}

export function duration(ms: number | null | undefined): string {
  if (!ok(ms)) return DASH;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

/** ISO timestamp as `YYYY-MM-DD HH:MM:SS UTC` (reports are compared across machines). */
export function timestamp(iso: string | undefined): string {
  if (!iso) return DASH;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

const opSymbols: Record<string, string> = { '>=': '≥', '<=': '≤', '<': '<', '>': '>', '==': '=' };

/** Comparison operator as a reader writes it: `≥`, `≤`. */
export function op(o: string): string {
  return opSymbols[o] ?? o;
}

/** A value with an optional unit: `48.7 ms`, `0.2667`. */
export function withUnit(v: number | null | undefined, unit?: string): string {
  if (!ok(v)) return DASH;
  return unit ? `${num(v)} ${unit}` : num(v);
}
