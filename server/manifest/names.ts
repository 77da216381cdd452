// Turning near misses into the value the manifest wants: DNS-safe names,
// semantic versions and ISO 8601 date-times. Used by messages ("e.g. …"),
// quick fixes and `modelgate init`.

export const DNS_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** "My Model_v2" → "my-model-v2"; undefined when nothing usable is left. */
export function toDnsName(text: string): string | undefined {
  const s = text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/g, '');
  return DNS_NAME.test(s) ? s : undefined;
}

/** "1.0" → "1.0.0", "v2" → "2.0.0", "01.2.3" → "1.2.3"; undefined when no numbers lead the text. */
export function toSemver(text: string): string | undefined {
  const m = /^\s*[vV]?(\d+)(?:\.(\d+))?(?:\.(\d+))?(.*)$/.exec(text);
  if (!m) return undefined;
  const num = (s: string | undefined): string => String(Number(s ?? '0'));
  const rest = (m[4] ?? '').trim();
  const candidate = `${num(m[1])}.${num(m[2])}.${num(m[3])}${/^[-+]/.test(rest) ? rest : ''}`;
  return SEMVER.test(candidate) ? candidate : `${num(m[1])}.${num(m[2])}.${num(m[3])}`;
}

/** "2026-11-01" → "2026-11-01T00:00:00Z", "2026-11-01 12:00" → "2026-11-01T12:00:00Z". */
export function toDateTime(text: string): string | undefined {
  const m = /^\s*(\d{4}-\d{2}-\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2}))?(\.\d+)?)?\s*([Zz]|[+-]\d{2}:?\d{2})?\s*$/.exec(text);
  if (!m) return undefined;
  const zone = m[6] ? (m[6] === 'z' ? 'Z' : m[6].length === 5 ? `${m[6].slice(0, 3)}:${m[6].slice(3)}` : m[6]) : 'Z';
  const out = `${m[1]}T${m[2] ?? '00'}:${m[3] ?? '00'}:${m[4] ?? '00'}${m[5] ?? ''}${zone}`;
  return Number.isNaN(Date.parse(out)) ? undefined : out;
}

/**
 * A manifest date or date-time as epoch milliseconds. A bare date means its
 * first instant and a missing time zone means UTC, so results do not depend
 * on the machine's zone.
 */
export function dateMs(text: string): number | undefined {
  const ms = Date.parse(toDateTime(text) ?? text);
  return Number.isNaN(ms) ? undefined : ms;
}
