// Model status, metadata and listings in each protocol's shape.
import { v2OutputNames } from './v2';
import { TF_DTYPE, V2_DATATYPE } from './datatypes';
import type { ModelRepository, ModelStatus } from '../repository';
import type { Servable } from '../servable';

interface IOSpec {
  name: string;
  dtype: string;
  shape: number[];
}

/** What a client sends (raw features, before preprocessing) and gets back. */
export function servedIO(s: Servable): { inputs: IOSpec[]; outputs: IOSpec[] } {
  const plan = s.plan;
  const inputs = plan.inputs.map((i) => ({ name: i.name, dtype: i.dtype as string, shape: [-1, i.rawWidth] }));
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

function details(s: Servable) {
  const plan = s.plan;
  return {
    task: plan.task,
    classLabels: plan.classLabels ?? null,
    description: s.loaded.manifest.metadata.description ?? null,
    inputs: plan.inputs.map((i) => ({
      name: i.name,
      dtype: i.dtype,
      rawShape: [-1, i.rawWidth],
      modelShape: [-1, ...i.dims],
      features: i.namedFeatures ? i.features : null,
      preprocessing: i.steps.map((st) => st.op),
    })),
    postprocessing: plan.post.map((p) => ({ op: p.op, output: p.output, as: p.as })),
    batching: s.batching,
    maxInstancesPerRequest: Number.isFinite(s.maxInstancesPerRequest) ? s.maxInstancesPerRequest : null,
    manifest: s.manifestPath,
  };
}

export function v1VersionStatus(versions: Servable[], error?: string) {
  return {
    model_version_status: versions.map((s) => ({
      version: s.version,
      state: s.state,
      status: { error_code: 'OK', error_message: error ?? '' },
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
    model_spec: { name: s.name, signature_name: '', version: s.version },
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

export function v2Metadata(s: Servable, all: Servable[]) {
  const io = servedIO(s);
  const t = (x: IOSpec) => ({ name: x.name, datatype: V2_DATATYPE[x.dtype] ?? 'BYTES', shape: x.shape });
  return {
    name: s.name,
    versions: all.map((v) => v.version),
    platform: 'onnxruntime_onnx',
    inputs: io.inputs.map(t),
    outputs: io.outputs.map(t),
    parameters: { version: s.version, ...details(s), outputs: v2OutputNames(s.plan) },
  };
}
