// Builds tiny ONNX models for tests by encoding the ModelProto protobuf by
// hand, so a test can have exactly the inputs, dtypes and shapes it needs
// without a Python exporter.

type Dim = number | string;
export interface FixtureTensor {
  name: string;
  dtype?: 'float32' | 'float64' | 'int32' | 'int64';
  dims: Dim[];
}
export interface FixtureNode {
  op: string;
  inputs: string[];
  outputs: string[];
}

const ELEM = { float32: 1, int32: 6, int64: 7, float64: 11 } as const;

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

function field(no: number, payload: number[] | string | number): number[] {
  if (typeof payload === 'number') return [...varint((no << 3) | 0), ...varint(payload)];
  const bytes = typeof payload === 'string' ? [...Buffer.from(payload, 'utf8')] : payload;
  return [...varint((no << 3) | 2), ...varint(bytes.length), ...bytes];
}

function valueInfo(t: FixtureTensor): number[] {
  const dims = t.dims.flatMap((d) => field(1, typeof d === 'number' ? field(1, d) : field(2, d)));
  const tensorType = [...field(1, ELEM[t.dtype ?? 'float32']), ...field(2, dims)];
  return [...field(1, t.name), ...field(2, field(1, tensorType))];
}

export function onnxModel(spec: { inputs: FixtureTensor[]; outputs: FixtureTensor[]; nodes: FixtureNode[] }): Buffer {
  const graph = [
    ...spec.nodes.flatMap((n, i) =>
      field(1, [...n.inputs.flatMap((x) => field(1, x)), ...n.outputs.flatMap((x) => field(2, x)), ...field(3, `node${i}`), ...field(4, n.op)]),
    ),
    ...field(2, 'fixture'),
    ...spec.inputs.flatMap((t) => field(11, valueInfo(t))),
    ...spec.outputs.flatMap((t) => field(12, valueInfo(t))),
  ];
  const model = [...field(1, 8), ...field(2, 'modelgate-test'), ...field(7, graph), ...field(8, [...field(1, ''), ...field(2, 13)])];
  return Buffer.from(model);
}

/** x [batch, width] → Identity → y [batch, width]: a classifier or regressor stand-in. */
export function identityModel(width: number, names = { input: 'features', output: 'probabilities' }): Buffer {
  return onnxModel({
    inputs: [{ name: names.input, dims: ['batch', width] }],
    outputs: [{ name: names.output, dims: ['batch', width] }],
    nodes: [{ op: 'Identity', inputs: [names.input], outputs: [names.output] }],
  });
}
