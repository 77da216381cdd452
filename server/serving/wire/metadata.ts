// Model status, metadata and listings in each protocol's shape.
import { v2OutputNames } from './v2';
import { integerRule } from './cells';
import { TF_DTYPE, V2_DATATYPE } from './datatypes';
import type { ModelRepository, ModelStatus } from '../repository';
import type { Servable } from '../servable';
import type { InputPlan } from '../../manifest/processing';
import { publicPath, publicText } from '../publicPath';
import { v1VersionNumber } from '../modelName';

interface IOSpec {
  name: string;
  dtype: string;
  shape: number[];
}

/**
 * What a client sends for an input: its raw features, before preprocessing.
 * A one-hot column of strings is sent as a string, so an input holding one
 * is a string (BYTES) input whatever the model's own dtype; a numeric column
 * beside it is then sent as a string too, or as a number (both accepted).
 */
export function rawDtype(i: InputPlan): string {
  for (const cats of i.categorical.values()) if (cats.some((c) => typeof c === 'string')) return 'string';
  if (i.categorical.size) return 'int64';
  return i.dtype;
}

/** What a client sends (raw features, before preprocessing) and gets back. */
export function servedIO(s: Servable): { inputs: IOSpec[]; outputs: IOSpec[] } {
  const plan = s.plan;
  const inputs = plan.inputs.map((i) => ({ name: i.name, dtype: rawDtype(i), shape: [-1, i.rawWidth] }));
  const outputs: IOSpec[] = plan.outputs.map((o) => {
    const real = s.modelIO.outputs.find((m) => m.name === o.name);
    return { name: o.name, dtype: o.dtype === 'unknown' ? (real?.dtype ?? 'float32') : o.dtype, shape: [-1, ...o.dims] };
  });
  const width = (name: string) => plan.outputs.find((o) => o.name === name)?.dims ?? [-1];
  for (const p of plan.post) {
    if (p.op === 'softmax') outputs.push({ name: p.as, dtype: 'float32', shape: [-1, ...width(p.output)] });
    else if (p.op === 'argmax') outputs.push({ name: p.as, dtype: 'string', shape: [-1] });
    else outputs.push({ name: `${p.as}_labels`, dtype: 'string', shape: [-1, p.k] }, { name: `${p.as}_scores`, dtype: 'float32', shape: [-1, p.k] });
  }
  return { inputs, outputs };
}

/** ModelGate's own description of a version (beyond what each protocol carries), under "modelgate". */
function details(s: Servable) {
  const plan = s.plan;
  const number = v1VersionNumber(s.version);
  return {
    version: s.version,
    versionNumber: number ?? null,
    task: plan.task,
    classLabels: plan.classLabels ?? null,
    description: s.loaded.manifest.metadata.description ?? null,
    inputs: plan.inputs.map((i) => ({
      name: i.name,
      dtype: rawDtype(i),
      modelDtype: i.dtype,
      rawShape: [-1, i.rawWidth],
      modelShape: [-1, ...i.dims],
      features: i.namedFeatures ? i.features : null,
      preprocessing: i.steps.map((st) => st.op),
      categories: i.categorical.size ? Object.fromEntries([...i.categorical].map(([c, cats]) => [i.features[c]!, cats])) : null,
      range: integerRule(i) ? { min: integerRule(i)!.min, max: integerRule(i)!.max, why: integerRule(i)!.why } : null,
    })),
    postprocessing: plan.post.map((p) => ({ op: p.op, output: p.output, as: p.as })),
    batching: s.batching,
    maxInstancesPerRequest: Number.isFinite(s.maxInstancesPerRequest) ? s.maxInstancesPerRequest : null,
    manifest: publicPath(s.manifestPath),
  };
}

/** The version as TF Serving clients read it: digits when it has an integer form. */
export const v1Version = (s: Servable): string => v1VersionNumber(s.version) ?? s.version;

export function v1VersionStatus(versions: Servable[], error?: string) {
  return {
    model_version_status: versions.map((s) => ({
      version: v1Version(s),
      state: s.state,
      status: { error_code: 'OK', error_message: error ? publicText(error) : '' },
    })),
  };
}

function tfTensor(spec: IOSpec) {
  return {
    dtype: TF_DTYPE[spec.dtype] ?? 'DT_INVALID',
    tensor_shape: { dim: spec.shape.map((d) => ({ size: String(d), name: '' })), unknown_rank: false },
    name: spec.name,
  };
}

export function v1Metadata(s: Servable) {
  const io = servedIO(s);
  return {
    model_spec: { name: s.name, signature_name: '', version: v1Version(s) },
    metadata: {
      signature_def: {
        signature_def: {
          serving_default: {
            inputs: Object.fromEntries(io.inputs.map((i) => [i.name, tfTensor(i)])),
            outputs: Object.fromEntries(io.outputs.map((o) => [o.name, tfTensor(o)])),
            method_name: s.task === 'classification' ? 'tensorflow/serving/classify' : 'tensorflow/serving/regress',
          },
        },
      },
    },
    modelgate: details(s),
  };
}

export function modelList(repo: ModelRepository): { models: ModelStatus[] } {
  return { models: repo.list() };
}

/**
 * Open Inference Protocol model metadata. `parameters` values are strings,
 * numbers or booleans only (the protocol's $parameters); everything with
 * structure is under "modelgate", an extension field clients ignore.
 */
export function v2Metadata(s: Servable, all: Servable[]) {
  const io = servedIO(s);
  const t = (x: IOSpec) => ({ name: x.name, datatype: V2_DATATYPE[x.dtype] ?? 'BYTES', shape: x.shape });
  const number = v1VersionNumber(s.version);
  return {
    name: s.name,
    versions: all.map((v) => v.version),
    platform: 'onnxruntime_onnx',
    inputs: io.inputs.map(t),
    outputs: io.outputs.map(t),
    parameters: {
      version: s.version,
      ...(number ? { version_number: number } : {}),
      task: s.task,
      max_batch_size: s.batching.enabled ? s.batching.maxBatchSize : 0,
    },
    modelgate: { ...details(s), outputs: v2OutputNames(s.plan) },
  };
}
