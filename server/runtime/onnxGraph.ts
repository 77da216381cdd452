// Facts read from an ONNX file's graph (the protobuf ModelProto), beyond
// what onnxruntime reports: which integer inputs index a table, and so which
// values the model can take. Decoded with protobufjs against the few fields
// of onnx.proto used here (field numbers from onnx/onnx.proto); every other
// field, the weights included, is skipped without being copied.
import { readFile } from 'node:fs/promises';
import protobuf from 'protobufjs';

const root = protobuf.Root.fromJSON({
  nested: {
    onnx: {
      nested: {
        ModelProto: { fields: { graph: { type: 'GraphProto', id: 7 } } },
        GraphProto: {
          fields: {
            node: { rule: 'repeated', type: 'NodeProto', id: 1 },
            initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
            input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 },
            output: { rule: 'repeated', type: 'string', id: 2 },
            name: { type: 'string', id: 3 },
            opType: { type: 'string', id: 4 },
            attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 },
          },
        },
        AttributeProto: {
          fields: {
            name: { type: 'string', id: 1 },
            i: { type: 'int64', id: 3 },
            ints: { rule: 'repeated', type: 'int64', id: 8 },
            strings: { rule: 'repeated', type: 'bytes', id: 9 },
          },
        },
        TensorProto: { fields: { dims: { rule: 'repeated', type: 'int64', id: 1 }, dataType: { type: 'int32', id: 2 }, name: { type: 'string', id: 8 } } },
        ValueInfoProto: { fields: { name: { type: 'string', id: 1 } } },
      },
    },
  },
});
const ModelProto = root.lookupType('onnx.ModelProto');

interface Node {
  input: string[];
  output: string[];
  name?: string;
  opType?: string;
  attribute: { name?: string; i?: number | { toNumber(): number }; ints?: (number | { toNumber(): number })[]; strings?: Uint8Array[] }[];
}

interface Graph {
  node?: Node[];
  initializer?: { dims?: (number | { toNumber(): number })[]; dataType?: number; name?: string }[];
  input?: { name?: string }[];
}

const num = (v: number | { toNumber(): number } | undefined): number => (v === undefined ? 0 : typeof v === 'number' ? v : v.toNumber());

/** Ops that hand an input's values on unchanged (only their layout or integer type changes). */
const PASS_THROUGH = new Set(['Identity', 'Squeeze', 'Unsqueeze', 'Reshape', 'Flatten', 'Cast']);

export interface IndexRange {
  min: number;
  max: number;
  /** In the user's terms: what in the model sets the bounds. */
  why: string;
}

/**
 * For each graph input whose every use is as the indices of a Gather into a
 * constant table (an embedding or a lookup), the ids the model can take:
 * 0 … rows − 1. (ONNX Gather also reads negative ids from the end of the
 * table; an id is never negative on purpose, so those are left out.)
 */
export function indexRanges(graph: Graph): Map<string, IndexRange> {
  const nodes = graph.node ?? [];
  const tables = new Map<string, number[]>();
  for (const t of graph.initializer ?? []) if (t.name) tables.set(t.name, (t.dims ?? []).map(num));
  const users = new Map<string, { node: Node; slot: number }[]>();
  for (const node of nodes)
    node.input.forEach((name, slot) => {
      let list = users.get(name);
      if (!list) users.set(name, (list = []));
      list.push({ node, slot });
    });
  const out = new Map<string, IndexRange>();
  for (const input of graph.input ?? []) {
    const name = input.name;
    if (!name || tables.has(name)) continue;
    let rows = Infinity;
    let where = '';
    let ok = true;
    const seen = new Set<string>();
    const follow = (value: string) => {
      if (seen.has(value)) return;
      seen.add(value);
      const list = users.get(value) ?? [];
      if (list.length === 0) ok = false;
      for (const { node, slot } of list) {
        const op = node.opType ?? '';
        if (op === 'Gather' && slot === 1) {
          const dims = tables.get(node.input[0] ?? '');
          const attr = node.attribute.find((a) => a.name === 'axis');
          let axis = num(attr?.i);
          if (dims && axis < 0) axis += dims.length;
          const size = dims?.[axis];
          if (size === undefined || size <= 0) ok = false;
          else if (size < rows) {
            rows = size;
            where = node.name ? `Gather node '${node.name}'` : 'Gather';
          }
        } else if (PASS_THROUGH.has(op) && slot === 0) node.output.forEach(follow);
        else ok = false;
      }
    };
    follow(name);
    if (ok && Number.isFinite(rows)) out.set(name, { min: 0, max: rows - 1, why: `the model looks it up in a table of ${rows} rows, ${where}` });
  }
  return out;
}

/** indexRanges of an ONNX file; an empty map when the file cannot be decoded (onnxruntime's load reports that). */
export async function readIndexRanges(path: string): Promise<Map<string, IndexRange>> {
  const graph = await readGraph(path);
  return graph ? indexRanges(graph) : new Map();
}

/** The graph of an ONNX file, or undefined when it cannot be decoded (onnxruntime's own load says why). */
async function readGraph(path: string): Promise<Graph | undefined> {
  try {
    return (ModelProto.decode(await readFile(path)) as unknown as { graph?: Graph }).graph;
  } catch {
    return undefined;
  }
}

/** TensorProto.DataType numbers of the element types that carry weights, and their ModelPack precision names. */
const PRECISION: Record<number, string> = {
  1: 'fp32',
  10: 'fp16',
  11: 'fp64',
  16: 'bf16',
  3: 'int8',
  2: 'uint8',
  17: 'fp8',
  18: 'fp8',
  19: 'fp8',
  20: 'fp8',
  22: 'int4',
  21: 'uint4',
};

export interface ModelFacts {
  /** Elements of every initializer: the model's parameter count. */
  parameters: number;
  /** Element type of the weights ('fp32', 'fp16', 'int8', …), 'mixed' when several, undefined when none. */
  precision?: string;
  /** What the operators say the model is: cnn, rnn, tree-ensemble, svm, linear, mlp; undefined when they say nothing clear. */
  architecture?: string;
  /** The class labels a classifier op (scikit-learn's LinearClassifier, TreeEnsembleClassifier, SVMClassifier, ZipMap) holds, in output order. */
  classLabels?: string[];
}

export function modelFacts(graph: Graph): ModelFacts {
  let parameters = 0;
  const precisions = new Set<string>();
  for (const t of graph.initializer ?? []) {
    const n = (t.dims ?? []).map(num).reduce((a, b) => a * b, 1);
    parameters += n;
    const p = PRECISION[t.dataType ?? 0];
    // a handful of values (shapes, axes, scales) is not what the model computes in
    if (p && n >= 16) precisions.add(p);
  }
  const ops = new Set((graph.node ?? []).map((n) => n.opType ?? ''));
  const has = (re: RegExp) => [...ops].some((o) => re.test(o));
  const architecture = has(/^(Conv|ConvTranspose|QLinearConv|ConvInteger)$/)
    ? 'cnn'
    : has(/^(LSTM|GRU|RNN)$/)
      ? 'rnn'
      : has(/^TreeEnsemble/)
        ? 'tree-ensemble'
        : has(/^SVM/)
          ? 'svm'
          : has(/^Linear(Classifier|Regressor)$/)
            ? 'linear'
            : has(/^(Gemm|MatMul|QLinearMatMul|MatMulInteger)$/)
              ? 'mlp'
              : undefined;
  const out: ModelFacts = { parameters };
  for (const n of graph.node ?? []) {
    if (!/(Classifier|^ZipMap)$/.test(n.opType ?? '')) continue;
    const a = n.attribute.find((x) => x.name === 'classlabels_strings' || x.name === 'classlabels_int64s' || x.name === 'classlabels_ints');
    const labels = a?.strings?.length ? a.strings.map((b) => Buffer.from(b).toString('utf8')) : a?.ints?.length ? a.ints.map((v) => String(num(v))) : [];
    if (labels.length) {
      out.classLabels = labels;
      break;
    }
  }
  if (precisions.size) out.precision = precisions.size === 1 ? [...precisions][0]! : 'mixed';
  if (architecture) out.architecture = architecture;
  return out;
}

/** modelFacts of an ONNX file; undefined when it cannot be decoded. */
export async function readModelFacts(path: string): Promise<ModelFacts | undefined> {
  const graph = await readGraph(path);
  return graph ? modelFacts(graph) : undefined;
}
