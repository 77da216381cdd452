// Drift of one feature between reference and current data: picks the test
// (Evidently's rule unless the manifest says otherwise), runs it, and says
// in `why` which test ran and for what reason. Never yields NaN: missing,
// constant and empty columns get an explained, finite result.
import type { FeatureDrift } from '../../protocol/report';
import { chiSquareHomogeneity } from '../../stats/chiSquare';
import { jensenShannonDistance } from '../../stats/jensenShannon';
import { ksTest } from '../../stats/ks';
import { PSI_BINS, PSI_EMPTY_BIN_SHARE, psi, psiOfShares } from '../../stats/psi';
import { binCounts, quantileEdges, shares } from '../../stats/quantileBins';
import { normalizedWasserstein } from '../../stats/wasserstein';
import { categoriesOf, distinctValues, presentCount, type ColumnValues } from './columnValues';
import { DEFAULT_THRESHOLD, isPValueMethod, pathText, type DriftMethod, type FeatureDriftConfig } from './driftConfig';

/** Reference rows up to which the automatic choice uses a statistical test (KS / chi-square), as Evidently. */
export const AUTO_SMALL_SAMPLE = 1000;
/** A numeric column with at most this many distinct values is treated as categorical. */
export const CATEGORICAL_MAX_DISTINCT = 10;
/** Categories drawn in the plot; the rest are summed into "(other)". */
const PLOT_MAX_CATEGORIES = 20;

export interface FeatureDriftOutcome {
  drift: FeatureDrift;
  /** false when the feature could not be compared and stays out of the drifted share. */
  counted: boolean;
}

const METHOD_TEXT: Record<DriftMethod, string> = {
  ks: 'two-sample Kolmogorov–Smirnov test (asymptotic p-value)',
  wasserstein: 'Wasserstein-1 distance divided by the reference standard deviation',
  psi: `PSI on ${PSI_BINS} reference-quantile bins (an empty bin counts as share ${PSI_EMPTY_BIN_SHARE})`,
  chisquare: 'chi-square test of homogeneity on category counts',
  jensenshannon: 'Jensen–Shannon distance (base 2) of category shares',
};

export function computeFeatureDrift(feature: string, ref: ColumnValues, cur: ColumnValues, cfg: FeatureDriftConfig): FeatureDriftOutcome {
  const refN = presentCount(ref);
  const curN = presentCount(cur);
  const bothNumeric = ref.numeric !== null && cur.numeric !== null;
  const distinct = distinctValues(ref, cur, CATEGORICAL_MAX_DISTINCT);
  const kind: FeatureDrift['kind'] = bothNumeric && distinct > CATEGORICAL_MAX_DISTINCT ? 'numeric' : 'categorical';
  const kindWhy = !bothNumeric
    ? 'categorical (non-numeric values)'
    : kind === 'numeric'
      ? `numeric (more than ${CATEGORICAL_MAX_DISTINCT} distinct values)`
      : `categorical (numeric with ${distinct} ≤ ${CATEGORICAL_MAX_DISTINCT} distinct values)`;

  // Pick the method.
  let method: DriftMethod;
  let origin: string;
  const notes: string[] = [];
  if (cfg.method === 'auto') {
    const small = refN <= AUTO_SMALL_SAMPLE;
    method = kind === 'numeric' ? (small ? 'ks' : 'wasserstein') : small ? 'chisquare' : 'jensenshannon';
    origin = `auto: ${refN} reference rows ${small ? '≤' : '>'} ${AUTO_SMALL_SAMPLE}, ${kindWhy}`;
  } else {
    method = cfg.method;
    origin = `${pathText(cfg.methodPath ?? ['staleness', 'drift', 'method'])} = ${cfg.method}; ${kindWhy}`;
    if (!bothNumeric && (method === 'ks' || method === 'wasserstein')) {
      // Distribution tests on numbers cannot rank words: use the categorical test of the same kind.
      const replacement: DriftMethod = method === 'ks' ? 'chisquare' : 'jensenshannon';
      notes.push(`${method} needs numbers but this column has text values; ${replacement} ran instead.`);
      method = replacement;
    }
  }
  const threshold = cfg.threshold ?? DEFAULT_THRESHOLD[method];
  const thresholdWhy = cfg.threshold !== undefined && cfg.thresholdPath ? ` (${pathText(cfg.thresholdPath)})` : ' (default)';
  const rule = isPValueMethod(method) ? `drift when p < ${threshold}${thresholdWhy}` : `drift when the value ≥ ${threshold}${thresholdWhy}`;

  const result: FeatureDrift = {
    feature,
    kind,
    method,
    why: `${origin} → ${METHOD_TEXT[method]}; ${rule}`,
    statistic: 0,
    threshold,
    drifted: false,
    referenceRows: refN,
    currentRows: curN,
    missing: { reference: ref.missing, current: cur.missing },
  };
  if (ref.missing > 0 || cur.missing > 0) {
    notes.push(`missing values excluded: ${ref.missing} of ${ref.rows} reference, ${cur.missing} of ${cur.rows} current.`);
  }
  const finish = (counted: boolean): FeatureDriftOutcome => {
    if (notes.length) result.note = notes.join(' ');
    return { drift: result, counted };
  };

  if (refN === 0) {
    notes.push(`every reference value is missing: nothing to compare with, so this feature is not tested and not counted in the drifted share.`);
    return finish(false);
  }
  if (curN === 0) {
    // A feature that stops arriving in production is drift in the plainest sense.
    result.statistic = 1;
    result.drifted = true;
    notes.push(`every current value (${cur.rows}) is missing: counted as drifted; the statistic is set to 1, the share of missing values.`);
    return finish(true);
  }

  // PSI on the same reference-quantile bins the live /health uses, for every
  // numeric column whatever test decides its drift: the two doors compare.
  if (bothNumeric) result.psi = psi(ref.numeric!, cur.numeric!, PSI_BINS).value;

  const refCats = ref.numeric ? null : countCategories(ref);
  if (isConstant(ref)) {
    const constant = ref.numeric ? ref.numeric[0]! : [...refCats!.keys()][0]!;
    const differing = countDiffering(cur, constant);
    result.statistic = differing / curN;
    result.threshold = 0;
    result.drifted = differing > 0;
    result.why = `constant in reference (every value is ${constant}): drift is any change of value; the statistic is the share of current values that differ (${origin})`;
    delete result.pValue;
    notes.push(`${differing} of ${curN} current values differ from the reference constant ${constant}.`);
    result.bins = categoricalBins(ref, cur);
    return finish(true);
  }

  const numericTest = bothNumeric && (method === 'ks' || method === 'wasserstein' || (method === 'psi' && kind === 'numeric'));
  if (numericTest) {
    const r = ref.numeric!;
    const c = cur.numeric!;
    if (method === 'ks') {
      const t = ksTest(r, c);
      result.statistic = t.statistic;
      result.pValue = t.pValue;
      result.drifted = t.pValue < threshold;
    } else if (method === 'wasserstein') {
      result.statistic = normalizedWasserstein(r, c);
      result.drifted = result.statistic >= threshold;
    } else {
      const p = psi(r, c, PSI_BINS);
      result.statistic = p.value;
      result.drifted = p.value >= threshold;
    }
    result.bins = kind === 'numeric' ? numericBins(r, c) : categoricalBins(ref, cur);
    return finish(true);
  }

  // Categorical tests: on categories, or on reference-quantile bins for a many-valued numeric column.
  let refCounts: number[];
  let curCounts: number[];
  if (kind === 'numeric') {
    const edges = quantileEdges(ref.numeric!, PSI_BINS);
    refCounts = binCounts(ref.numeric!, edges);
    curCounts = binCounts(cur.numeric!, edges);
    notes.push(`${method} ran on ${refCounts.length} reference-quantile bins of this numeric column.`);
    result.bins = numericBins(ref.numeric!, cur.numeric!);
  } else {
    const rc = refCats ?? countCategories(ref);
    const cc = countCategories(cur);
    const keys = [...new Set([...rc.keys(), ...cc.keys()])];
    refCounts = keys.map((k) => rc.get(k) ?? 0);
    curCounts = keys.map((k) => cc.get(k) ?? 0);
    const unseen = keys.filter((k) => !rc.has(k));
    if (unseen.length)
      notes.push(
        `${unseen.length} categor${unseen.length === 1 ? 'y' : 'ies'} absent from the reference: ${unseen.slice(0, 5).join(', ')}${unseen.length > 5 ? ', …' : ''}.`,
      );
    result.bins = categoricalBins(ref, cur);
  }
  if (method === 'chisquare') {
    const t = chiSquareHomogeneity(refCounts, curCounts)!;
    result.statistic = t.statistic;
    result.pValue = t.pValue;
    result.drifted = t.pValue < threshold;
  } else if (method === 'jensenshannon') {
    result.statistic = jensenShannonDistance(refCounts, curCounts);
    result.drifted = result.statistic >= threshold;
  } else {
    result.statistic = psiOfShares(shares(refCounts), shares(curCounts));
    result.drifted = result.statistic >= threshold;
  }
  return finish(true);
}

function isConstant(c: ColumnValues): boolean {
  if (c.numeric) return c.numeric.length > 0 && c.numeric[0] === c.numeric[c.numeric.length - 1];
  const first = c.text![0];
  return c.text!.every((t) => t === first);
}

function countDiffering(cur: ColumnValues, constant: number | string): number {
  let n = 0;
  if (cur.numeric && typeof constant === 'number') {
    for (let i = 0; i < cur.numeric.length; i++) if (cur.numeric[i] !== constant) n++;
    return n;
  }
  const key = typeof constant === 'number' ? String(constant) : constant;
  for (const v of categoriesOf(cur)) if (v !== key) n++;
  return n;
}

function countCategories(c: ColumnValues): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of categoriesOf(c)) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}

/** Reference-quantile bins with the data's extremes as outer edges, for a histogram. */
function numericBins(r: Float64Array, c: Float64Array): NonNullable<FeatureDrift['bins']> {
  const inner = quantileEdges(r, PSI_BINS);
  const lo = Math.min(r[0]!, c.length ? c[0]! : r[0]!);
  const hi = Math.max(r[r.length - 1]!, c.length ? c[c.length - 1]! : r[r.length - 1]!);
  return {
    edges: [lo, ...inner, hi],
    reference: shares(binCounts(r, inner)),
    current: shares(binCounts(c, inner)),
  };
}

function categoricalBins(ref: ColumnValues, cur: ColumnValues): NonNullable<FeatureDrift['bins']> {
  const rc = countCategories(ref);
  const cc = countCategories(cur);
  const rn = presentCount(ref) || 1;
  const cn = presentCount(cur) || 1;
  const keys = [...new Set([...rc.keys(), ...cc.keys()])].sort((a, b) => (rc.get(b) ?? 0) + (cc.get(b) ?? 0) - (rc.get(a) ?? 0) - (cc.get(a) ?? 0));
  const shown = keys.slice(0, PLOT_MAX_CATEGORIES);
  const rest = keys.slice(PLOT_MAX_CATEGORIES);
  const edges = [...shown];
  const reference = shown.map((k) => (rc.get(k) ?? 0) / rn);
  const current = shown.map((k) => (cc.get(k) ?? 0) / cn);
  if (rest.length) {
    edges.push('(other)');
    reference.push(rest.reduce((a, k) => a + (rc.get(k) ?? 0), 0) / rn);
    current.push(rest.reduce((a, k) => a + (cc.get(k) ?? 0), 0) / cn);
  }
  return { edges, reference, current };
}
