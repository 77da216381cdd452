// Axis ranges that keep every point readable: pure, unit-tested without a browser.
import { num } from '../format';

/**
 * The y axis of the rate search: from zero, and capped when one point would
 * flatten the rest (above 4 × the median and 2 × the SLO); the title says so.
 */
export function rpsSearchScale(p99s: number[], sloMs: number | undefined): { max?: number; clipped: number; title: string } {
  const sorted = p99s.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const title = 'p99 latency (ms)';
  if (sorted.length < 3) return { clipped: 0, title };
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const raw = Math.max(median * 4, (sloMs ?? 0) * 2);
  if (!(raw > 0)) return { clipped: 0, title };
  // Rounded up to two significant digits, so the axis ends on a readable number.
  const step = 10 ** (Math.floor(Math.log10(raw)) - 1);
  const max = Math.ceil(raw / step) * step;
  const clipped = sorted.filter((v) => v > max).length;
  if (!clipped) return { clipped: 0, title };
  return { max, clipped, title: `p99 latency (ms; axis cut at ${num(max)}, ${clipped} ${clipped === 1 ? 'point' : 'points'} above shown as ▲)` };
}
