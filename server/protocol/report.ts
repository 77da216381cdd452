// The test report: one versioned JSON document written by `modelgate test`,
// rendered by the report webview and the standalone HTML report, and
// attached to published artifacts. Crosses process boundaries: types only.

export const REPORT_VERSION = 1 as const;

export type SuiteId = 'stress' | 'staleness' | 'metrics';

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

export interface GateResult {
  /** Stable id, e.g. `metrics.accuracy`, `stress.p99`, `staleness.drift.mean radius`. */
  id: string;
  suite: SuiteId;
  metric: string;
  threshold: Threshold;
  /** null when it could not be measured (then pass is false and message says why). */
  measured: number | null;
  pass: boolean;
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
  maxSustainableRps?: { value: number; p99Ms: number; steps: { offeredRps: number; p99Ms: number; ok: boolean }[] };
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
  threshold: number;
  drifted: boolean;
  referenceRows: number;
  currentRows: number;
  missing: { reference: number; current: number };
  note?: string;
  /** Binned distributions for plots (shares, same bins). */
  bins?: { edges: number[] | string[]; reference: number[]; current: number[] };
}

export interface StalenessResult {
  now: string;
  modelAgeDays?: number;
  dataAgeDays?: number;
  features: FeatureDrift[];
  driftedShare?: number;
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

export interface Report {
  kind: 'modelgate-report';
  reportVersion: typeof REPORT_VERSION;
  model: { name: string; version: string; manifest: string; artifact: string; artifactSha256?: string };
  createdAt: string;
  durationMs: number;
  /** false when cancelled or a suite crashed: the report holds what was measured. */
  complete: boolean;
  cancelled?: boolean;
  environment: { modelgate: string; node: string; platform: string; cpus: number; cpuModel: string };
  suites: { stress?: StressResult; staleness?: StalenessResult; metrics?: MetricsResult };
  gates: GateResult[];
  summary: { passed: boolean; gates: number; failed: number; errors: string[] };
}

/** Progress of a long engine job, shown by the CLI and the editor. */
export interface ProgressEvent {
  suite?: SuiteId | 'lint' | 'serve' | 'publish';
  step: string;
  /** 0–100, or undefined when unknown */
  percent?: number;
  message?: string;
}
