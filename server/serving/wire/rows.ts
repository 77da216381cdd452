// Decoding request rows (TF Serving row and columnar formats, classify/regress
// examples) into raw feature arrays, one Float64Array per model input.
import type { ProcessingPlan } from '../../manifest/processing';
import { badRequest, ServingError } from '../errors';
import type { Servable } from '../servable';
import { cell, describeValue, fillRow, isB64, strictCells, type Where } from './cells';
import { allocFloat64 } from '../slab';

export interface DecodedRows {
  raw: Float64Array[];
  rows: number;
}

function list(names: string[], max = 12): string {
  return names.length > max ? `${names.slice(0, max).join(', ')}, … (${names.length} in all)` : names.join(', ');
}

export function checkCount(s: Servable, n: number, what: string): void {
  if (n === 0) throw badRequest(`${what} is empty; send at least one instance`, 'MG316');
  if (n > s.maxInstancesPerRequest) {
    throw new ServingError(
      413,
      `${n} instances in one request; model ${s.name} accepts at most ${s.maxInstancesPerRequest} (serving.maxInstancesPerRequest or --max-instances); split the request`,
      'MG317',
    );
  }
}

function alloc(plan: ProcessingPlan, n: number): Float64Array[] {
  return plan.inputs.length === 1 ? [allocFloat64(n * plan.inputs[0]!.rawWidth)] : plan.inputs.map((i) => allocFloat64(n * i.rawWidth));
}

/** One instance given as an object: keyed by input name, or by feature name. */
export function fillObjectRow(value: unknown, plan: ProcessingPlan, raw: Float64Array[], row: number, where: Where): void {
  const inputs = plan.inputs;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || isB64(value)) {
    if (inputs.length === 1) {
      fillRow(value, inputs[0]!, raw[0]!, row * inputs[0]!.rawWidth, where);
      return;
    }
    throw badRequest(
      `${where()} is ${describeValue(value)}; this model has ${inputs.length} inputs (${inputs.map((i) => i.name).join(', ')}), so send each instance as an object keyed by input name`,
      'MG314',
    );
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  const byInput = keys.every((k) => inputs.some((i) => i.name === k));
  const isFeature = (k: string) => inputs.some((i) => i.features.includes(k));
  // keyed by feature unless a key names an input that is not also a feature name
  const byFeature =
    !byInput && inputs.every((i) => i.namedFeatures) && keys.some(isFeature) && !keys.some((k) => !isFeature(k) && inputs.some((i) => i.name === k));
  if (!byFeature && inputs.some((i) => i.name in obj)) {
    const unknown = keys.filter((k) => !inputs.some((i) => i.name === k));
    if (unknown.length)
      throw badRequest(
        `${where()} has unknown key(s) ${unknown.map((k) => JSON.stringify(k)).join(', ')}; the model's inputs are: ${inputs.map((i) => i.name).join(', ')}`,
        'MG318',
      );
    inputs.forEach((input, k) => {
      if (!(input.name in obj))
        throw badRequest(
          `${where()} has no value for input "${input.name}"; every instance needs all inputs: ${inputs.map((i) => i.name).join(', ')}`,
          'MG318',
        );
      fillRow(obj[input.name], input, raw[k]!, row * input.rawWidth, () => `${where()}.${input.name}`);
    });
    return;
  }
  if (byFeature) {
    const missing: string[] = [];
    let used = 0;
    inputs.forEach((input, k) => {
      const out = raw[k]!;
      const base = row * input.rawWidth;
      for (let c = 0; c < input.rawWidth; c++) {
        const f = input.features[c]!;
        let v = obj[f];
        if (v === undefined) {
          missing.push(f);
          continue;
        }
        used++;
        // TF Serving's <value>|<list>: a feature may come as a list of its values; each feature here holds one
        if (Array.isArray(v)) {
          if (v.length !== 1)
            throw badRequest(
              `${where()}[${JSON.stringify(f)}] is a list of ${v.length} values, but feature "${f}" holds one value per example; send the value or a one-element list`,
              'MG314',
            );
          v = v[0];
        }
        out[base + c] = cell(v, input, c, () => `${where()}[${JSON.stringify(f)}]`);
      }
    });
    if (missing.length)
      throw badRequest(
        `${where()} is missing feature(s) ${list(missing.map((m) => JSON.stringify(m)))}; send every feature of the manifest's signature`,
        'MG318',
      );
    if (used !== keys.length) {
      const known = new Set(inputs.flatMap((i) => i.features));
      const extra = keys.filter((k) => !known.has(k));
      throw badRequest(
        `${where()} has unknown feature(s) ${list(extra.map((m) => JSON.stringify(m)))}; the features are: ${list(inputs.flatMap((i) => i.features))}`,
        'MG318',
      );
    }
    return;
  }
  throw badRequest(
    `${where()} is an object whose keys (${list(
      keys.map((k) => JSON.stringify(k)),
      5,
    )}) are not input names; the model's inputs are: ${inputs.map((i) => i.name).join(', ')}`,
    'MG318',
  );
}

const isNamed = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v) && !isB64(v);

/** `{"instances": [...]}`: the TF Serving row format. */
export function decodeInstances(s: Servable, instances: unknown): DecodedRows {
  if (!Array.isArray(instances)) throw badRequest(`"instances" must be a list (one entry per row), not ${describeValue(instances)}`, 'MG314');
  const n = instances.length;
  checkCount(s, n, '"instances"');
  const plan = s.plan;
  const raw = alloc(plan, n);
  const single = plan.inputs.length === 1 ? plan.inputs[0]! : undefined;
  const fast = single && !strictCells(single) ? single.rawWidth : -1;
  const out0 = raw[0]!;
  // TF Serving refuses a list that mixes named (object) and unnamed instances
  const named = isNamed(instances[0]);
  for (let i = 0; i < n; i++) {
    const inst = instances[i];
    if (isNamed(inst) !== named)
      throw badRequest(
        `instances[${i}] is ${describeValue(inst)}, but instances[0] is ${describeValue(instances[0])}: every instance must have the same form, all objects keyed by input or feature name, or all lists`,
        'MG314',
      );
    if (fast >= 0 && Array.isArray(inst) && inst.length === fast) {
      // hot path: a flat list of finite numbers
      const base = i * fast;
      let j = 0;
      for (; j < fast; j++) {
        const v = inst[j];
        if (typeof v !== 'number' || v - v !== 0) break;
        out0[base + j] = v;
      }
      if (j === fast) continue;
    }
    if (single && Array.isArray(inst)) fillRow(inst, single, out0, i * single.rawWidth, () => `instances[${i}]`);
    else fillObjectRow(inst, plan, raw, i, () => `instances[${i}]`);
  }
  return { raw, rows: n };
}

/** `{"inputs": ...}`: the TF Serving columnar format. */
export function decodeColumnar(s: Servable, inputs: unknown): DecodedRows {
  const plan = s.plan;
  if (Array.isArray(inputs)) {
    if (plan.inputs.length !== 1) {
      throw badRequest(
        `"inputs" is a list, but this model has ${plan.inputs.length} inputs; send {"inputs": {${plan.inputs.map((i) => `"${i.name}": [...]`).join(', ')}}}`,
        'MG314',
      );
    }
    const input = plan.inputs[0]!;
    checkCount(s, inputs.length, '"inputs"');
    const raw = alloc(plan, inputs.length);
    for (let i = 0; i < inputs.length; i++) fillRow(inputs[i], input, raw[0]!, i * input.rawWidth, () => `inputs[${i}]`);
    return { raw, rows: inputs.length };
  }
  if (typeof inputs !== 'object' || inputs === null)
    throw badRequest(`"inputs" must be a list of rows or an object keyed by input name, not ${describeValue(inputs)}`, 'MG314');
  const obj = inputs as Record<string, unknown>;
  const unknown = Object.keys(obj).filter((k) => !plan.inputs.some((i) => i.name === k));
  if (unknown.length)
    throw badRequest(
      `"inputs" has unknown key(s) ${unknown.map((k) => JSON.stringify(k)).join(', ')}; the model's inputs are: ${plan.inputs.map((i) => i.name).join(', ')}`,
      'MG318',
    );
  let n = -1;
  for (const input of plan.inputs) {
    const v = obj[input.name];
    if (!Array.isArray(v)) throw badRequest(`"inputs.${input.name}" must be a list of rows, not ${describeValue(v)}`, 'MG318');
    if (n >= 0 && v.length !== n)
      throw badRequest(
        `"inputs" lists ${n} rows for "${plan.inputs[0]!.name}" but ${v.length} for "${input.name}"; every input needs the same number of rows`,
        'MG314',
      );
    n = v.length;
  }
  checkCount(s, n, '"inputs"');
  const raw = alloc(plan, n);
  plan.inputs.forEach((input, k) => {
    const v = obj[input.name] as unknown[];
    for (let i = 0; i < n; i++) fillRow(v[i], input, raw[k]!, i * input.rawWidth, () => `inputs.${input.name}[${i}]`);
  });
  return { raw, rows: n };
}

/** `{"examples": [...], "context": {...}}`: the classify/regress request; context values apply to every example. */
export function decodeExamples(s: Servable, examples: unknown, context: unknown): DecodedRows {
  if (!Array.isArray(examples)) throw badRequest(`"examples" must be a list of objects keyed by feature name, not ${describeValue(examples)}`, 'MG314');
  checkCount(s, examples.length, '"examples"');
  if (context !== undefined && (typeof context !== 'object' || context === null || Array.isArray(context))) {
    throw badRequest(`"context" must be an object keyed by feature name, not ${describeValue(context)}`, 'MG314');
  }
  const plan = s.plan;
  const raw = alloc(plan, examples.length);
  examples.forEach((ex, i) => {
    const merged = context && ex && typeof ex === 'object' && !Array.isArray(ex) ? { ...(context as object), ...(ex as object) } : ex;
    fillObjectRow(merged, plan, raw, i, () => `examples[${i}]`);
  });
  return { raw, rows: examples.length };
}
