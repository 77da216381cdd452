// The words for one gate, the same on every side of a boundary: the Test
// Explorer, the report's verdict header and the CLI say a gate alike, in the
// user's units and with the rule's own operator. A pure function of the
// report types, so it crosses into the extension and the webview as they do.
import type { GateResult, GateStatus, Threshold } from './report';

const SHOWN: Record<Threshold['op'], string> = { '>=': '≥', '>': '>', '<=': '≤', '<': '<', '==': '=' };

/** Units as a reader writes them. */
const UNIT_WORDS: Record<string, string> = { d: 'days', rps: 'req/s', RPS: 'req/s', ms: 'ms', s: 's' };

/** A status, also for reports written before statuses existed. */
export function gateStatus(g: GateResult): GateStatus {
  return g.status ?? (g.pass ? 'passed' : 'failed');
}

/** Shares (an error rate, a share of drifted features or dropped rows) read better as percentages. */
function isShare(g: GateResult): boolean {
  return !g.threshold.unit && (g.id === 'stress.errorRate' || /driftedShare$|\.dropped\b/.test(g.id) || /^share of /.test(g.metric));
}

/** Up to 4 significant digits, a real minus sign, an exponent only for the very small. */
export function gateNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  const body = a < 1e-4 ? a.toExponential(2) : Number(a.toPrecision(4)).toLocaleString('en-US', { maximumFractionDigits: 6 });
  return v < 0 ? `−${body}` : body;
}

/** A value of this gate with its unit: `740 ms`, `99 days`, `0.3 %`, `0.9649`. */
export function gateValue(g: GateResult, v: number): string {
  if (isShare(g)) return `${gateNumber(v * 100)} %`;
  const unit = g.threshold.unit;
  return unit ? `${gateNumber(v)} ${UNIT_WORDS[unit] ?? unit}` : gateNumber(v);
}

/** The metric's name split where its value reads best: `p99 latency` | `at 200 req/s`. */
function nameParts(g: GateResult): { head: string; tail: string } {
  const metric = (g.metric || g.id).replace(/\bRPS\b/g, 'req/s');
  const m = /^(.+?) ((?:at|within) .+|\(.+\))$/.exec(metric);
  return m ? { head: m[1]!, tail: ` ${m[2]!}` } : { head: metric, tail: '' };
}

/** `must be ≤ 50 ms`: the rule as the manifest states it. */
export function gateRule(g: GateResult): string {
  return `must be ${SHOWN[g.threshold.op] ?? g.threshold.op} ${gateValue(g, g.threshold.value)}`;
}

/** `over by 690 ms`, `under by 0.028`, `47.1 ms to spare`; undefined without a value. */
export function gateDistance(g: GateResult): string | undefined {
  if (g.measured === null || !Number.isFinite(g.measured)) return undefined;
  const t = g.threshold;
  const d = g.measured - t.value;
  const by = gateValue(g, Math.abs(d));
  const ok = gateStatus(g) === 'passed' || (g.margin !== undefined ? g.margin >= 0 : false);
  if (t.op === '==') return d === 0 ? 'exactly' : `off by ${by}`;
  if (ok) return `${by} to spare`;
  return t.op === '<=' || t.op === '<' ? `over by ${by}` : `under by ${by}`;
}

/**
 * One sentence: `p99 latency 740 ms at 200 req/s — must be ≤ 50 ms (over by
 * 690 ms)`; a gate without a value says why instead (`— not run: …`).
 */
export function gateSentence(g: GateResult): string {
  const { head, tail } = nameParts(g);
  const status = gateStatus(g);
  const rule = gateRule(g);
  if (g.measured === null || !Number.isFinite(g.measured)) {
    const why = g.reason ?? (status === 'not run' ? 'not measured' : 'no value');
    return `${head}${tail} — ${rule}; ${status === 'not run' ? 'not run' : 'no value'}: ${why}`;
  }
  const sentence = `${head} ${gateValue(g, g.measured)}${tail} — ${rule} (${gateDistance(g)})`;
  return status === 'inconclusive' && g.reason ? `${sentence}; inconclusive: ${g.reason}` : sentence;
}

const STATUS_WORDS: Record<GateStatus, string> = { passed: 'Passed', failed: 'Failed', inconclusive: 'Inconclusive', 'not run': 'Not run' };

/** The whole message for a gate that needs attention: status, sentence, next step. Backticks of CLI names are dropped. */
export function gateMessage(g: GateResult): string {
  const status = gateStatus(g);
  const next = status !== 'passed' && g.nextStep ? ` Next: ${sentenceEnd(plain(g.nextStep))}` : '';
  return `${STATUS_WORDS[status]}: ${sentenceEnd(gateSentence(g))}${next}`;
}

/** Ends a sentence with one full stop. */
function sentenceEnd(s: string): string {
  return /[.!?]$/.test(s.trim()) ? s.trim() : `${s.trim()}.`;
}

/** Text without markdown code marks, for places that show text as is. */
export function plain(s: string): string {
  return s.replace(/`([^`]*)`/g, '$1');
}
