// "Normalise label frequencies": rescales data.labelFrequencies to sum to 1
// with three decimals; the rounding remainder goes to the largest class, so
// the written numbers sum to exactly 1.
import { isMap, isScalar, type Node, type Scalar } from 'yaml';
import type { TextEdit } from 'vscode-languageserver-types';
import { nodeAt } from '../../manifest/parse';
import type { ManifestDocument } from '../manifestDocument';

/** Shares in thousandths summing to exactly 1000, or undefined when they cannot be scaled. */
export function normalisedThousandths(values: number[]): number[] | undefined {
  if (values.length === 0 || values.some((v) => !Number.isFinite(v) || v < 0)) return undefined;
  const total = values.reduce((a, b) => a + b, 0);
  if (total <= 0) return undefined;
  const out = values.map((v) => Math.round((v / total) * 1000));
  let largest = 0;
  values.forEach((v, i) => {
    if (v > values[largest]!) largest = i;
  });
  out[largest]! += 1000 - out.reduce((a, b) => a + b, 0);
  return out;
}

export function normaliseFrequenciesEdits(doc: ManifestDocument): TextEdit[] | undefined {
  const node = nodeAt(doc.parsed, ['data', 'labelFrequencies']) as Node | undefined;
  if (!isMap(node) || node.items.length === 0) return undefined;
  const scalars: Scalar[] = [];
  for (const pair of node.items) {
    const v = pair.value;
    if (!isScalar(v) || typeof v.value !== 'number' || !v.range) return undefined;
    scalars.push(v);
  }
  const values = scalars.map((s) => s.value as number);
  const scaled = normalisedThousandths(values);
  if (!scaled) return undefined;
  if (scaled.every((t, i) => Math.abs(t / 1000 - values[i]!) < 1e-12)) return undefined;
  return scalars.map((s, i) => ({
    range: { start: doc.positionAt(s.range![0]), end: doc.positionAt(s.range![1]) },
    newText: String(scaled[i]! / 1000),
  }));
}
