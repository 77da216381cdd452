// Durations as the manifest writes them: a whole number and a unit, e.g.
// `500ms`, `10s`, `90d`. The schema's pattern accepts exactly what
// parseDuration parses, so a manifest that passed the schema always parses.

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

export type DurationUnit = keyof typeof UNIT_MS;

export const DURATION_PATTERN = /^([1-9][0-9]*)(ms|s|m|h|d|w)$/;

/** Milliseconds in `text`, or undefined when it is not a duration. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION_PATTERN.exec(text.trim());
  if (!m) return undefined;
  const ms = Number(m[1]) * UNIT_MS[m[2] as DurationUnit];
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/** Like parseDuration, but throws an Error naming the accepted forms. */
export function durationMs(text: string, field = 'duration'): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new Error(`${field} "${text}" is not a duration: use a whole number followed by ms, s, m, h, d or w, e.g. "90d"`);
  return ms;
}

/** The largest exact unit: 7776000000 → "90d", 1500 → "1500ms". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return `${Math.max(0, Math.round(ms))}ms`;
  const units: DurationUnit[] = ['w', 'd', 'h', 'm', 's'];
  for (const u of units) if (ms % UNIT_MS[u] === 0) return `${ms / UNIT_MS[u]}${u}`;
  return `${Math.round(ms)}ms`;
}

/** A likely intended duration for a near miss ("90 days" → "90d", "1.5h" → "90m"), or undefined. */
export function suggestDuration(text: string): string | undefined {
  // "-5s": the sign is the mistake; the magnitude is what was meant.
  const m = /^\s*-?\s*([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z]+)\s*$/.exec(text);
  if (!m) return /^\s*[1-9][0-9]*\s*$/.test(text) ? `${text.trim()}s` : undefined;
  const n = Number(m[1]);
  const word = m[2]!.toLowerCase();
  const unit: DurationUnit | undefined =
    word === 'ms' || word.startsWith('milli')
      ? 'ms'
      : word === 's' || word.startsWith('sec')
        ? 's'
        : word === 'm' || word.startsWith('min')
          ? 'm'
          : word === 'h' || word.startsWith('h')
            ? 'h'
            : word === 'd' || word.startsWith('day')
              ? 'd'
              : word === 'w' || word.startsWith('week')
                ? 'w'
                : word.startsWith('mo')
                  ? 'd'
                  : word === 'y' || word.startsWith('year')
                    ? 'd'
                    : undefined;
  if (!unit || !(n > 0)) return undefined;
  const factor = word.startsWith('mo') ? 30 : word === 'y' || word.startsWith('year') ? 365 : 1;
  const ms = n * factor * UNIT_MS[unit];
  return ms >= 1 ? formatDuration(Math.round(ms)) : undefined;
}
