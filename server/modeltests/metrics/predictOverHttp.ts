// Scores rows through the served model the way any client would: many rows
// per request and a few requests in flight, so the server's batching and wire
// path are what get measured — not an in-process shortcut. Numeric inputs go
// as Open Inference Protocol (v2) binary tensors, which the server reads in
// place instead of parsing JSON numbers; models with categorical (string)
// inputs use TF Serving v1 `:predict` in row format.
import type { ProcessingPlan } from '../../manifest/processing';
import { DEFAULT_CONCURRENCY, HttpScoringError, inFlight, type HttpScoringOptions } from './inFlight';
import { DEFAULT_BINARY_ROWS_PER_REQUEST, predictBinary } from './predictBinary';

export interface ServedPredictions {
  rows: number;
  /** Classification: rows × classes. */
  probabilities?: Float64Array;
  classes?: number;
  /** Classification: predicted label per row. */
  labels?: string[];
  /** Regression: rows × width of the primary output. */
  values?: Float64Array;
  requests: number;
  rowsPerRequest: number;
  concurrency: number;
  elapsedMs: number;
  endpoint: string;
  /** The wire format used, and why when it is not binary tensors. */
  wire: 'v2-binary' | 'v1-json';
  wireNote: string;
}

export type { HttpScoringOptions };

export const DEFAULT_ROWS_PER_REQUEST = 1024;
export { DEFAULT_BINARY_ROWS_PER_REQUEST, DEFAULT_CONCURRENCY };

export { HttpScoringError };

export function predictUrl(baseUrl: string, model: { name: string; version: string }): string {
  return `${baseUrl.replace(/\/+$/, '')}/v1/models/${encodeURIComponent(model.name)}/versions/${encodeURIComponent(model.version)}:predict`;
}

/** One request body: `{"instances": [...]}`, a flat row per instance (or named inputs for multi-input models). */
export function instancesBody(plan: ProcessingPlan, inputs: Float64Array[], from: number, to: number, text?: string[]): string {
  if (text) return `{"instances":[${text.slice(from, to).join(',')}]}`;
  const parts: string[] = [];
  for (let r = from; r < to; r++) {
    if (plan.inputs.length === 1) {
      const w = plan.inputs[0]!.rawWidth;
      parts.push('[' + Array.prototype.join.call(inputs[0]!.subarray(r * w, (r + 1) * w), ',') + ']');
    } else {
      const fields = plan.inputs.map(
        (inp, k) => `${JSON.stringify(inp.name)}:[${Array.prototype.join.call(inputs[k]!.subarray(r * inp.rawWidth, (r + 1) * inp.rawWidth), ',')}]`,
      );
      parts.push('{' + fields.join(',') + '}');
    }
  }
  return `{"instances":[${parts.join(',')}]}`;
}

/** `inputs`: one Float64Array per model input, rows × rawWidth, finite values only (JSON has no NaN). */
export async function predictOverHttp(
  baseUrl: string,
  model: { name: string; version: string },
  plan: ProcessingPlan,
  inputs: Float64Array[],
  rows: number,
  opts: HttpScoringOptions = {},
): Promise<ServedPredictions> {
  const binaryWhyNot = opts.json ? 'JSON requested' : binaryUnfit(plan);
  if (binaryWhyNot === undefined) return predictBinary(baseUrl, model, plan, inputs, rows, opts);
  const endpoint = predictUrl(baseUrl, model);
  const rowsPerRequest = Math.max(1, opts.rowsPerRequest ?? DEFAULT_ROWS_PER_REQUEST);
  const decoder = new PredictionDecoder(plan, rows);
  const text = typeof opts.instanceText === 'function' ? opts.instanceText() : opts.instanceText;
  const { requests, elapsedMs, concurrency } = await inFlight(
    endpoint,
    rows,
    rowsPerRequest,
    opts,
    (from, to) => ({
      headers: { 'content-type': 'application/json' },
      body: instancesBody(plan, inputs, from, to, text),
    }),
    async (res, from, to) => {
      const body = JSON.parse(await res.text()) as { predictions?: unknown[] };
      if (!Array.isArray(body.predictions) || body.predictions.length !== to - from) {
        throw new HttpScoringError(
          `POST ${endpoint} answered without ${to - from} predictions (got ${Array.isArray(body.predictions) ? body.predictions.length : 'none'})`,
        );
      }
      body.predictions.forEach((p, i) => decoder.add(from + i, p));
    },
  );
  return {
    ...decoder.result(),
    rows,
    requests,
    rowsPerRequest,
    concurrency,
    elapsedMs,
    endpoint,
    wire: 'v1-json',
    wireNote: `served over v1 JSON (${binaryWhyNot})`,
  };
}

/** Why binary tensors do not fit this model, or undefined when they do. */
export function binaryUnfit(plan: ProcessingPlan): string | undefined {
  const strings = plan.inputs.filter((i) => i.categorical.size > 0).map((i) => i.name);
  if (strings.length) return `input(s) ${strings.join(', ')} take category strings`;
  return undefined;
}

/**
 * Reads v1 predictions: a bare value/array when the model has one output,
 * or an object of named outputs per instance (raw outputs plus
 * postprocessing results such as `label`).
 */
class PredictionDecoder {
  private probabilities?: Float64Array;
  private classes?: number;
  private labels?: string[];
  private values?: Float64Array;
  private width?: number;
  private readonly labelName: string | undefined;

  constructor(
    private readonly plan: ProcessingPlan,
    private readonly rows: number,
  ) {
    const argStep = plan.post.find((s) => s.op === 'argmax');
    this.labelName = argStep?.as;
  }

  add(row: number, p: unknown): void {
    const plan = this.plan;
    let main: unknown = p;
    if (p !== null && typeof p === 'object' && !Array.isArray(p)) {
      const named = p as Record<string, unknown>;
      const want = plan.task === 'classification' ? plan.probabilityOutput : plan.primaryOutput;
      main = named[want];
      if (this.labelName && typeof named[this.labelName] === 'string') (this.labels ??= new Array<string>(this.rows))[row] = named[this.labelName] as string;
    }
    if (typeof main === 'string') {
      (this.labels ??= new Array<string>(this.rows))[row] = main;
      return;
    }
    if (main === undefined) return;
    const flat = flatten(main);
    if (plan.task === 'classification') {
      this.classes ??= flat.length;
      this.probabilities ??= new Float64Array(this.rows * this.classes);
      if (flat.length !== this.classes)
        throw new HttpScoringError(`prediction for row ${row} has ${flat.length} class scores, earlier rows had ${this.classes}`);
      this.probabilities.set(flat, row * this.classes);
    } else {
      this.width ??= flat.length;
      this.values ??= new Float64Array(this.rows * this.width);
      this.values.set(flat, row * this.width);
    }
  }

  result(): Pick<ServedPredictions, 'probabilities' | 'classes' | 'labels' | 'values'> {
    const out: Pick<ServedPredictions, 'probabilities' | 'classes' | 'labels' | 'values'> = {};
    if (this.probabilities) {
      out.probabilities = this.probabilities;
      out.classes = this.classes!;
    }
    if (this.labels) out.labels = this.labels;
    if (this.values) out.values = this.values;
    return out;
  }
}

function flatten(v: unknown): number[] {
  if (typeof v === 'number') return [v];
  if (v === null) return [Number.NaN];
  if (Array.isArray(v)) return v.flatMap(flatten);
  throw new HttpScoringError(`unexpected prediction value ${JSON.stringify(v).slice(0, 80)}`);
}
