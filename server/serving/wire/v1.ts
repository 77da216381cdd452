// TensorFlow Serving REST v1 responses. Row format: one entry per instance,
// the bare value when the model serves a single output, else an object keyed
// by output name (`{"probabilities": [...], "label": "benign"}`). Columnar
// format: the batch per output.
import type { BatchSlice } from '../scheduler';
import type { Servable } from '../servable';
import { badRequest } from '../errors';
import { num, rowJson, servedOutputs, str, type ServedOutput } from './outputs';

function rowsOf(list: ServedOutput[], slice: BatchSlice, one: (r: number) => string): string {
  let s = '';
  const end = slice.offset + slice.rows;
  for (let r = slice.offset; r < end; r++) s += (r > slice.offset ? ',' : '') + one(r);
  return s;
}

export function encodePredictions(s: Servable, slice: BatchSlice): string {
  const list = servedOutputs(s.plan, slice.out);
  if (list.length === 1) {
    const o = list[0]!;
    return '{"predictions":[' + rowsOf(list, slice, (r) => rowJson(o, r)) + ']}';
  }
  return (
    '{"predictions":[' +
    rowsOf(list, slice, (r) => {
      let obj = '{';
      for (let i = 0; i < list.length; i++) obj += (i ? ',' : '') + list[i]!.key + ':' + rowJson(list[i]!, r);
      return obj + '}';
    }) +
    ']}'
  );
}

export function encodeColumnar(s: Servable, slice: BatchSlice): string {
  const list = servedOutputs(s.plan, slice.out);
  const column = (o: ServedOutput) => '[' + rowsOf(list, slice, (r) => rowJson(o, r)) + ']';
  if (list.length === 1) return '{"outputs":' + column(list[0]!) + '}';
  return '{"outputs":{' + list.map((o) => o.key + ':' + column(o)).join(',') + '}}';
}

/** `:classify`: per example, every class label with its score (TF Serving's [[label, score], ...]). */
export function encodeClassify(s: Servable, slice: BatchSlice): string {
  if (s.task !== 'classification') throw badRequest(`model ${s.name} is a ${s.task} model; use :regress or :predict`, 'MG319');
  const list = servedOutputs(s.plan, slice.out);
  const probs = list.find((o) => o.name === s.plan.probabilityOutput);
  if (!probs || probs.kind !== 'tensor') throw badRequest(`model ${s.name} has no class-score output "${s.plan.probabilityOutput}"; use :predict`, 'MG319');
  const labels = Array.from({ length: probs.width }, (_, i) => str(s.plan.classLabels?.[i] ?? String(i)));
  return (
    '{"results":[' +
    rowsOf(list, slice, (r) => {
      let row = '[';
      for (let c = 0; c < probs.width; c++) row += (c ? ',' : '') + '[' + labels[c] + ',' + num(probs.data[r * probs.width + c]) + ']';
      return row + ']';
    }) +
    ']}'
  );
}

/** `:regress`: one number per example (the first value of the primary output's row). */
export function encodeRegress(s: Servable, slice: BatchSlice): string {
  if (s.task !== 'regression') throw badRequest(`model ${s.name} is a ${s.task} model; use :classify or :predict`, 'MG319');
  const list = servedOutputs(s.plan, slice.out);
  const o = list.find((x) => x.name === s.plan.primaryOutput);
  if (!o || o.kind !== 'tensor') throw badRequest(`model ${s.name} has no numeric output "${s.plan.primaryOutput}"; use :predict`, 'MG319');
  return '{"results":[' + rowsOf(list, slice, (r) => num(o.data[r * o.width])) + ']}';
}
