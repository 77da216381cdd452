// Streaming statistics of what a served model sees and predicts, compared
// with its reference data: PSI per raw feature on reference-quantile bins,
// and the predicted-class distribution against the training label
// frequencies (Jensen–Shannon distance). Counts live in two generations of
// `windowRows` rows each, so the report covers the last 1–2 windows.
// Bins and PSI come from `server/stats`, as in the staleness suite: the same
// rows give the same PSI through either door.
import type { BatchOutput } from '../../manifest/predict';
import { tensorToFloat32, type ProcessingPlan } from '../../manifest/processing';
import { jensenShannonDistance } from '../../stats/jensenShannon';
import { finiteSorted } from '../../stats/numbers';
import { PSI_BINS, psiOfShares as psi } from '../../stats/psi';
import { binIndex, referenceBins, type ReferenceBins } from '../../stats/quantileBins';
import { centroidOfRows, ROW_SUMMARIES, summarizeRow } from '../../stats/rowSummary';

function jensenShannon(p: ArrayLike<number>, q: ArrayLike<number>): number | null {
  const d = jensenShannonDistance(p, q);
  return Number.isNaN(d) ? null : d;
}

export interface HealthBaseline {
  /** Reference rows, one array per input (rows × rawWidth). */
  raw: Float64Array[];
  rows: number;
  path: string;
  /** Model output on the reference rows, for the prediction baseline. */
  out?: BatchOutput;
}

export interface HealthOptions {
  windowRows?: number;
  minRows?: number;
  psiThreshold?: number;
  /** Per-feature PSI thresholds; a feature mapped to null is ignored. */
  featureThresholds?: Map<string, number | null>;
  /**
   * Inputs watched as a whole (`staleness.drift.inputs.<name>.perFeature:
   * false`): PSI of three per-row summaries (`<input>: row mean`, …) in place
   * of one per feature, as the staleness suite tests them.
   */
  summarizedInputs?: ReadonlySet<string>;
  predictionThreshold?: number;
  labelFrequencies?: Record<string, number>;
}

export interface FeatureHealth {
  name: string;
  psi: number | null;
  threshold: number;
  drifted: boolean;
  mean: number | null;
  referenceMean: number | null;
}

export interface PredictionHealth {
  kind: 'classification' | 'regression';
  /** Classification: share of each predicted label in the window. */
  share?: Record<string, number>;
  /** Classification: `data.labelFrequencies` from the manifest. */
  expected?: Record<string, number>;
  /** Classification: predicted shares on the reference data. */
  referenceShare?: Record<string, number>;
  /** Jensen–Shannon distance of `share` vs `expected` (or vs the reference predictions when no frequencies are declared). */
  jensenShannon?: number | null;
  /** PSI of the predictions vs the predictions on the reference data. */
  psi: number | null;
  mean?: number | null;
  referenceMean?: number | null;
  threshold: number;
  drifted: boolean;
}

export interface HealthReport {
  status: 'ok' | 'drift' | 'insufficient_data' | 'no_reference';
  rows: number;
  windowRows: number;
  minRows: number;
  observedTotal: number;
  reference: { path: string; rows: number } | null;
  features: FeatureHealth[];
  drifted: string[];
  predictions: PredictionHealth | null;
}

class Counts {
  cur: Float64Array;
  prev: Float64Array;
  constructor(n: number) {
    this.cur = new Float64Array(n);
    this.prev = new Float64Array(n);
  }
  rotate(): void {
    const t = this.prev;
    this.prev = this.cur;
    this.cur = t;
    t.fill(0);
  }
  shares(): Float64Array {
    const out = new Float64Array(this.cur.length);
    let total = 0;
    for (let i = 0; i < out.length; i++) {
      out[i] = this.cur[i]! + this.prev[i]!;
      total += out[i]!;
    }
    if (total > 0) for (let i = 0; i < out.length; i++) out[i] = out[i]! / total;
    return out;
  }
}

interface FeatureState {
  name: string;
  input: number;
  column: number;
  width: number;
  bins: ReferenceBins;
  counts: Counts;
  /** sum of values, cur/prev generation */
  sum: Float64Array;
  n: Float64Array;
  referenceMean: number | null;
  threshold: number;
}

/** An input watched as a whole: its three per-row summaries, binned like features. */
interface SummaryGroup {
  input: number;
  width: number;
  center: Float64Array;
  /** One state per ROW_SUMMARIES entry, in that order. */
  states: FeatureState[];
}

function mean(values: ArrayLike<number>): number | null {
  let s = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++)
    if (Number.isFinite(values[i]!)) {
      s += values[i]!;
      n++;
    }
  return n ? s / n : null;
}

export class LiveHealth {
  /** Every watched column, in report order: features, then input summaries. */
  private features: FeatureState[] = [];
  private perFeature: FeatureState[] = [];
  private summaries: SummaryGroup[] = [];
  private classCounts: Counts | undefined;
  private referenceClassShare: Float64Array | undefined;
  private predBins: ReferenceBins | undefined;
  private predCounts: Counts | undefined;
  private predSum = new Float64Array(2);
  private predN = new Float64Array(2);
  private referencePredMean: number | null = null;
  private readonly summaryRow = new Float64Array(3);
  private genRows = 0;
  private prevRows = 0;
  private total = 0;
  readonly windowRows: number;
  readonly minRows: number;
  private readonly psiThreshold: number;
  private readonly predictionThreshold: number;

  constructor(
    private readonly plan: ProcessingPlan,
    private readonly baseline: HealthBaseline | undefined,
    private readonly opts: HealthOptions = {},
  ) {
    this.windowRows = opts.windowRows ?? 5000;
    this.minRows = opts.minRows ?? 100;
    this.psiThreshold = opts.psiThreshold ?? 0.2;
    this.predictionThreshold = opts.predictionThreshold ?? 0.1;
    if (!baseline) return;
    const state = (name: string, col: Float64Array, input: number, column: number, width: number, threshold: number): FeatureState => {
      const bins = referenceBins(finiteSorted(col), PSI_BINS);
      return {
        name,
        input,
        column,
        width,
        bins,
        counts: new Counts(bins.expected.length),
        sum: new Float64Array(2),
        n: new Float64Array(2),
        referenceMean: mean(col),
        threshold,
      };
    };
    plan.inputs.forEach((input, k) => {
      const raw = baseline.raw[k]!;
      if (opts.summarizedInputs?.has(input.name)) {
        const width = input.rawWidth;
        const center = centroidOfRows(raw, baseline.rows, width);
        const cols = ROW_SUMMARIES.map(() => new Float64Array(baseline.rows).fill(Number.NaN));
        const row = new Float64Array(3);
        for (let r = 0; r < baseline.rows; r++) {
          if (summarizeRow(raw, r * width, width, center, row)) for (let j = 0; j < 3; j++) cols[j]![r] = row[j]!;
        }
        const states = ROW_SUMMARIES.map((stat, j) => {
          const name = `${input.name}: ${stat}`;
          return state(name, cols[j]!, k, j, width, opts.featureThresholds?.get(name) ?? this.psiThreshold);
        });
        this.summaries.push({ input: k, width, center, states });
        this.features.push(...states);
        return;
      }
      for (let c = 0; c < input.rawWidth; c++) {
        const name = input.features[c]!;
        const override = opts.featureThresholds?.get(name);
        if (override === null) continue;
        const col = new Float64Array(baseline.rows);
        for (let r = 0; r < baseline.rows; r++) col[r] = raw[r * input.rawWidth + c]!;
        const f = state(name, col, k, c, input.rawWidth, override ?? this.psiThreshold);
        this.features.push(f);
        this.perFeature.push(f);
      }
    });
    if (baseline.out) {
      if (plan.task === 'classification') {
        const idx = this.classIndex(baseline.out);
        if (idx) {
          const counts = new Float64Array(this.classCount(baseline.out));
          for (const i of idx) counts[i]!++;
          this.referenceClassShare = counts.map((c) => c / Math.max(1, idx.length));
        }
      } else {
        const v = this.values(baseline.out);
        if (v) {
          this.predBins = referenceBins(finiteSorted(v), PSI_BINS);
          this.predCounts = new Counts(this.predBins.expected.length);
          this.referencePredMean = mean(v);
        }
      }
    }
  }

  private classCount(out: BatchOutput): number {
    const t = out.raw[this.plan.probabilityOutput] ?? out.raw[this.plan.primaryOutput];
    return t ? t.dims.slice(1).reduce((a, b) => a * b, 1) : 0;
  }

  private classIndex(out: BatchOutput): Int32Array | undefined {
    const derived = out.derived.find((d) => d.name === this.plan.probabilityOutput);
    const t = out.raw[this.plan.probabilityOutput] ?? out.raw[this.plan.primaryOutput];
    const data = derived?.kind === 'tensor' ? derived.data : t ? tensorToFloat32(t) : undefined;
    if (!data || !t) return undefined;
    const w = this.classCount(out);
    const idx = new Int32Array(out.rows);
    for (let r = 0; r < out.rows; r++) {
      let best = 0;
      for (let c = 1; c < w; c++) if (data[r * w + c]! > data[r * w + best]!) best = c;
      idx[r] = best;
    }
    return idx;
  }

  private values(out: BatchOutput): Float32Array | undefined {
    const t = out.raw[this.plan.primaryOutput];
    return t ? tensorToFloat32(t) : undefined;
  }

  /** Adds one batch's raw inputs and outputs. */
  observe(raw: Float64Array[], rows: number, out: BatchOutput | undefined): void {
    if (this.genRows >= this.windowRows) {
      for (const f of this.features) {
        f.counts.rotate();
        f.sum[1] = f.sum[0]!;
        f.n[1] = f.n[0]!;
        f.sum[0] = 0;
        f.n[0] = 0;
      }
      this.classCounts?.rotate();
      this.predCounts?.rotate();
      this.predSum[1] = this.predSum[0]!;
      this.predN[1] = this.predN[0]!;
      this.predSum[0] = 0;
      this.predN[0] = 0;
      this.prevRows = this.genRows;
      this.genRows = 0;
    }
    this.genRows += rows;
    this.total += rows;
    for (const f of this.perFeature) {
      const src = raw[f.input]!;
      const counts = f.counts.cur;
      const edges = f.bins.edges;
      let s = 0;
      let n = 0;
      for (let r = 0, i = f.column; r < rows; r++, i += f.width) {
        const v = src[i]!;
        // finite values only (v - v is NaN for NaN and ±Infinity), as the staleness suite's columns
        if (v - v === 0) {
          counts[binIndex(edges, v)]!++;
          s += v;
          n++;
        }
      }
      f.sum[0] = f.sum[0]! + s;
      f.n[0] = f.n[0]! + n;
    }
    for (const g of this.summaries) {
      const src = raw[g.input]!;
      const row = this.summaryRow;
      for (let r = 0; r < rows; r++) {
        if (!summarizeRow(src, r * g.width, g.width, g.center, row)) continue;
        for (let j = 0; j < 3; j++) {
          const v = row[j]!;
          if (v - v !== 0) continue;
          const f = g.states[j]!;
          f.counts.cur[binIndex(f.bins.edges, v)]!++;
          f.sum[0] = f.sum[0]! + v;
          f.n[0] = f.n[0]! + 1;
        }
      }
    }
    if (!out) return;
    if (this.plan.task === 'classification') {
      const idx = this.classIndex(out);
      if (!idx) return;
      if (!this.classCounts) this.classCounts = new Counts(this.classCount(out));
      for (const i of idx) if (i < this.classCounts.cur.length) this.classCounts.cur[i]!++;
    } else {
      const v = this.values(out);
      if (!v) return;
      for (let i = 0; i < v.length; i++) {
        if (this.predCounts && this.predBins) this.predCounts.cur[binIndex(this.predBins.edges, v[i]!)]!++;
        this.predSum[0] = this.predSum[0]! + v[i]!;
        this.predN[0] = this.predN[0]! + 1;
      }
    }
  }

  report(): HealthReport {
    const rows = this.genRows + this.prevRows;
    const enough = rows >= this.minRows;
    const features: FeatureHealth[] = this.features.map((f) => {
      const n = f.n[0]! + f.n[1]!;
      const p = n > 0 ? psi(f.bins.expected, f.counts.shares()) : null;
      return {
        name: f.name,
        psi: p,
        threshold: f.threshold,
        drifted: enough && p !== null && p > f.threshold,
        mean: n > 0 ? (f.sum[0]! + f.sum[1]!) / n : null,
        referenceMean: f.referenceMean,
      };
    });
    const predictions = this.predictionHealth(enough);
    const drifted = features.filter((f) => f.drifted).map((f) => f.name);
    const status: HealthReport['status'] = !this.baseline
      ? 'no_reference'
      : !enough
        ? 'insufficient_data'
        : drifted.length || predictions?.drifted
          ? 'drift'
          : 'ok';
    return {
      status,
      rows,
      windowRows: this.windowRows,
      minRows: this.minRows,
      observedTotal: this.total,
      reference: this.baseline ? { path: this.baseline.path, rows: this.baseline.rows } : null,
      features,
      drifted,
      predictions,
    };
  }

  private predictionHealth(enough: boolean): PredictionHealth | null {
    const labels = this.plan.classLabels;
    const named = (arr: ArrayLike<number>) => Object.fromEntries(Array.from(arr, (v, i) => [labels?.[i] ?? String(i), v]));
    if (this.plan.task === 'classification') {
      const share = this.classCounts?.shares();
      const freq = this.opts.labelFrequencies;
      const expectedArr = freq && labels ? Float64Array.from(labels, (l) => freq[l] ?? 0) : this.referenceClassShare;
      const js = share && expectedArr && share.length === expectedArr.length ? jensenShannon(share, expectedArr) : null;
      const p = share && this.referenceClassShare && share.length === this.referenceClassShare.length ? psi(this.referenceClassShare, share) : null;
      return {
        kind: 'classification',
        share: share ? named(share) : {},
        expected: freq,
        referenceShare: this.referenceClassShare ? named(this.referenceClassShare) : undefined,
        jensenShannon: js,
        psi: p,
        threshold: this.predictionThreshold,
        drifted: enough && js !== null && js > this.predictionThreshold,
      };
    }
    const n = this.predN[0]! + this.predN[1]!;
    const p = this.predCounts && this.predBins && n > 0 ? psi(this.predBins.expected, this.predCounts.shares()) : null;
    return {
      kind: 'regression',
      psi: p,
      mean: n > 0 ? (this.predSum[0]! + this.predSum[1]!) / n : null,
      referenceMean: this.referencePredMean,
      threshold: this.psiThreshold,
      drifted: enough && p !== null && p > this.psiThreshold,
    };
  }
}
