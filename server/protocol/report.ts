// The test report: one versioned JSON document written by `modelgate test`,
// rendered by the report webview and the standalone HTML report, and
// attached to published artifacts. Crosses process boundaries: types only.

// 2: every declared gate carries a status (passed / failed / inconclusive /
// not run) and the summary a verdict; datasets report the rows they used.
export const REPORT_VERSION = 2 as const;

export type SuiteId = 'stress' | 'staleness' | 'metrics';

/** Every suite, in the order a full run runs them (staleness and metrics before the load of stress). */
export const SUITES: readonly SuiteId[] = ['staleness', 'metrics', 'stress'];

/** Where in model.yaml a threshold came from (1-based line/column). */
export interface SourceRef {
  path: (string | number)[];
  line: number;
  column: number;
}

export interface Threshold {
  op: '>=' | '<=' | '<' | '>' | '==';
  value: number;
  unit?: string;
}

/**
 * passed / failed: measured and judged. inconclusive: measured, but not
 * reliably enough to judge (the reason says why). not run: the manifest
 * declares it, but it was not measured (suite skipped, cancelled, data or
 * baseline missing).
 */
export type GateStatus = 'passed' | 'failed' | 'inconclusive' | 'not run';

export const GATE_STATUSES: readonly GateStatus[] = ['passed', 'failed', 'inconclusive', 'not run'];

/**
 * passed: every declared gate passed, over every suite. failed: at least one
 * gate failed (or a suite crashed). incomplete: nothing failed, but some gate
 * is inconclusive or was not run. cancelled: the run was stopped.
 */
export type Verdict = 'passed' | 'failed' | 'incomplete' | 'cancelled';

export interface GateResult {
  /** Stable id, e.g. `metrics.accuracy`, `stress.p99`, `staleness.drift.mean radius`. */
  id: string;
  suite: SuiteId;
  metric: string;
  threshold: Threshold;
  /** null when it could not be measured (then status is not run or failed and reason says why). */
  measured: number | null;
  status: GateStatus;
  /** Same as status === 'passed' (kept for readers of earlier reports). */
  pass: boolean;
  /** Why a gate is failed without a value, inconclusive or not run. */
  reason?: string;
  /** What the user can do next (failed, inconclusive and not-run gates). */
  nextStep?: string;
  /** How the value was measured (method, data, sample size, mode). */
  how: string;
  /** Signed distance to the threshold in the metric's unit (positive = headroom). */
  margin?: number;
  /** One sentence for the user: what passed or failed and by how much. */
  message: string;
  source?: SourceRef;
}

export interface LatencySummaryUs {
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

export interface StressPoint {
  /** closed: N connections each sending back-to-back; open: fixed arrival rate. */
  mode: 'closed' | 'open';
  connections: number;
  /** open mode: requests per second offered */
  offeredRps?: number;
  durationS: number;
  throughputRps: number;
  latencyUs: LatencySummaryUs;
  requests: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  /** Throughput of each repeated run of this point, and the relative spread (max-min)/mean. */
  runs: number[];
  spread: number;
  stable: boolean;
  loadGeneratorCpu: number;
  /** true when the load generator, not the server, limited the run. */
  loadGeneratorBound: boolean;
  sloExceeded?: boolean;
  /** open mode: how late the load generator released requests compared with their schedule (µs). */
  sendLagUs?: { mean: number; max: number };
  /**
   * Open model at slo.rps: 95 % interval of the pooled p99 (µs), from a
   * block bootstrap over the runs' time windows of `windowS` seconds.
   */
  p99IntervalUs?: { low: number; high: number; level: number; windows: number; windowS: number };
  /** Open model at slo.rps: the interval lies on one side of slo.p99Ms, or is narrow, so another run would not change the verdict. */
  p99Stable?: boolean;
  /**
   * Open model at slo.rps: the same schedule, at the same moments, against a
   * trivial endpoint in another process (no model): the latency the machine
   * and the load generator add on their own.
   */
  noiseFloor?: StressNoiseFloor;
  /** Mean CPU (cores) used by processes other than the suite's own and the load generator during this point's runs. */
  otherCpuCores?: number;
}

export interface StressNoiseFloor {
  latencyUs: LatencySummaryUs;
  requests: number;
  /** Connection errors, timeouts and non-2xx answers of the trivial endpoint. */
  failed: number;
  throughputRps: number;
}

/**
 * The SLO point judged beside its noise floor: what the stress.p99 and
 * stress.rps gates read, in the units of the manifest.
 */
export interface StressSloCheck {
  rps: number;
  p99LimitMs?: number;
  /** Pooled p99 of every run at slo.rps (the p99 gate's figure). */
  p99Ms: number;
  p99IntervalMs: { low: number; high: number; level: number };
  /** p99 of the trivial endpoint at the same moments. */
  noiseFloorP99Ms: number;
  runs: number;
  /** Most runs the time budget allowed. */
  maxRuns: number;
  p99Stable: boolean;
  /** The pooled point kept up with the rate, within the error rate and p99 limit. */
  sustained: boolean;
  why?: string;
  loadGeneratorBound: boolean;
  otherCpuCores?: number;
  cores?: number;
  /** When this point and maxSustainableRps disagree (a higher rate held while slo.rps did not): why. */
  disagreement?: string;
}

export interface HistogramData {
  /** Upper bounds of the buckets */
  bucketsUs: number[];
  counts: number[];
}

export interface StressResult {
  endpoint: string;
  bodies: { source: string; distinct: number };
  warmupS: number;
  tolerance: number;
  points: StressPoint[];
  maxSustainableRps?: { value: number; p99Ms: number; steps: { offeredRps: number; p99Ms: number; ok: boolean; why?: string; loadGeneratorBound?: boolean }[] };
  /** The point at slo.rps beside its noise floor and p99 interval (when slo.rps is set). */
  slo?: StressSloCheck;
  histogram?: HistogramData;
  correctness?: { sampled: number; mismatches: number; maxAbsDiff: number; tolerance: number };
  costPerMillion?: { usd: number; perHour: number; rps: number };
  notes: string[];
  /** true when the run was cancelled: the result holds only what was measured before. */
  cancelled?: boolean;
}

export interface FeatureDrift {
  feature: string;
  kind: 'numeric' | 'categorical';
  method: 'psi' | 'ks' | 'wasserstein' | 'chisquare' | 'jensenshannon';
  /** Why this method was chosen (e.g. "auto: 455 reference rows ≤ 1000, numeric → KS at 0.95"). */
  why: string;
  statistic: number;
  pValue?: number;
  /**
   * The p-value after the multiple-testing correction over every feature
   * tested with a p-value (see `StalenessResult.multipleTesting`); `drifted`
   * compares this one with the threshold.
   */
  adjustedPValue?: number;
  /** PSI on 10 reference-quantile bins — the statistic the live /health endpoint reports — for numeric columns. */
  psi?: number;
  threshold: number;
  drifted: boolean;
  referenceRows: number;
  currentRows: number;
  missing: { reference: number; current: number };
  note?: string;
  /** Binned distributions for plots (shares, same bins). */
  bins?: { edges: number[] | string[]; reference: number[]; current: number[] };
  /** Set when this row is a per-row summary of a whole input (`staleness.drift.inputs.<name>.perFeature: false`). */
  summaryOf?: { input: string; features: number; statistic: 'row mean' | 'row standard deviation' | 'distance to the reference centroid' };
}

/** How the per-feature p-values were corrected for testing many features at once. */
export interface MultipleTesting {
  method: 'benjamini-hochberg' | 'none';
  /** Features whose drift a p-value decides (ks, chisquare): the family corrected together. */
  tests: number;
  /** Of those, marked drifted (after the correction). */
  drifted: number;
  /** Of those, the number a p-value below the threshold on its own would mark drifted. */
  driftedUncorrected: number;
  why: string;
}

export interface StalenessResult {
  now: string;
  modelAgeDays?: number;
  dataAgeDays?: number;
  features: FeatureDrift[];
  driftedShare?: number;
  multipleTesting?: MultipleTesting;
  prediction?: {
    labels: string[];
    current: number[];
    training?: number[];
    reference?: number[];
    jsdVsTraining?: number;
    jsdVsReference?: number;
    threshold: number;
  };
  notes: string[];
}

export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface MetricsResult {
  task: 'classification' | 'regression';
  dataset: string;
  rows: number;
  /** e.g. accuracy, f1_macro, roc_auc, log_loss, ece; mae, rmse, r2, mape */
  overall: Record<string, number>;
  perClass?: ClassMetrics[];
  confusion?: { labels: string[]; matrix: number[][] };
  roc?: { label: string; fpr: number[]; tpr: number[]; auc: number }[];
  calibration?: { bins: { confidence: number; accuracy: number; count: number }[] };
  residuals?: { predicted: number[]; actual: number[] };
  slices?: { name: string; rows: number; metrics: Record<string, number> }[];
  skew?: { rows: number; maxAbsDiff: number; tolerance: number; mismatches: number };
  baseline?: {
    name: string;
    version: string;
    overall: Record<string, number>;
    comparisons: { metric: string; champion: number; challenger: number; absoluteChange: number; relativeChange: number; pass: boolean }[];
  };
  notes: string[];
}

/** How much of a dataset a suite could use: rows read, used and dropped, with the first reasons. */
export interface DatasetUse {
  /** e.g. validation, reference, current, training */
  role: string;
  path: string;
  rowsRead: number;
  rowsUsed: number;
  rowsDropped: number;
  /** The first few reasons a row was dropped: file line (1-based, header = 1), column, value. */
  dropped: { line: number; column: string; value: string; why: string }[];
  /** Which suite used it. */
  suite: SuiteId;
}

export interface Report {
  kind: 'modelgate-report';
  reportVersion: typeof REPORT_VERSION;
  model: { name: string; version: string; manifest: string; artifact: string; artifactSha256?: string };
  createdAt: string;
  durationMs: number;
  /** false when cancelled or a suite crashed: the report holds what was measured. */
  complete: boolean;
  cancelled?: boolean;
  environment: {
    modelgate: string;
    node: string;
    platform: string;
    cpus: number;
    cpuModel: string;
    /** The process that ran the engine (the editor's runs use a child of the language server). */
    pid?: number;
    /** Node flags of that process: latency and memory figures depend on them. */
    execArgv?: string[];
  };
  suites: { stress?: StressResult; staleness?: StalenessResult; metrics?: MetricsResult };
  gates: GateResult[];
  /** Every dataset a gate was computed on, with its row counts. */
  datasets?: DatasetUse[];
  summary: ReportSummary;
}

export interface ReportSummary {
  verdict: Verdict;
  /** verdict === 'passed' */
  passed: boolean;
  gates: number;
  failed: number;
  inconclusive: number;
  notRun: number;
  /** The suites that ran to the end, and those that did not (skipped with --only, cancelled, crashed). */
  suitesRun: SuiteId[];
  suitesNotRun: SuiteId[];
  errors: string[];
}

/** Progress of a long engine job, shown by the CLI and the editor. */
export interface ProgressEvent {
  suite?: SuiteId | 'lint' | 'serve' | 'publish';
  step: string;
  /** 0–100, or undefined when unknown */
  percent?: number;
  message?: string;
}
