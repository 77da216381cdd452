// "Fill signature from model": writes the `signature` section from the ONNX
// file's inputs and outputs, with `features` from the training CSV header
// (minus the label column) when the column count fits the input.
import { isMap, type Node } from 'yaml';
import type { TextEdit } from 'vscode-languageserver-types';
import { keyNodeAt, nodeAt } from '../../manifest/parse';
import type { ModelMetadata, TensorInfo } from '../../runtime/onnx';
import type { ManifestDocument } from '../manifestDocument';
import { yamlString } from '../yamlText';
import { lineEndBefore, lineStartOf } from './insertEntry';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Dimensions as the manifest writes them: a dynamic first axis is `batch`. */
export function manifestShape(t: TensorInfo): (string | number)[] {
  return t.shape.map((d, i) => {
    if (typeof d === 'number') return d >= 0 ? d : i === 0 ? 'batch' : -1;
    return IDENT.test(d) ? d : i === 0 ? 'batch' : -1;
  });
}

function fixedSize(t: TensorInfo): number | undefined {
  const rest = manifestShape(t).slice(1);
  if (rest.some((d) => typeof d !== 'number' || d < 1)) return undefined;
  return (rest as number[]).reduce((a, b) => a * b, 1);
}

/** A flow list wrapped at ~100 columns, continuation lines aligned after `[`. */
export function flowList(items: string[], firstCol: number): string {
  const lines: string[] = [];
  let cur = '';
  for (const item of items.map((i) => yamlString(i, true))) {
    const next = cur ? `${cur}, ${item}` : item;
    if (cur && firstCol + next.length > 100) {
      lines.push(cur + ',');
      cur = item;
    } else cur = next;
  }
  lines.push(cur);
  return `[${lines.join('\n' + ' '.repeat(firstCol))}]`;
}

interface Existing {
  features?: string[];
  description?: string;
}

function existingTensors(doc: ManifestDocument, kind: 'inputs' | 'outputs'): Map<string, Existing> {
  const out = new Map<string, Existing>();
  const sig = (doc.parsed.value as Record<string, unknown> | undefined)?.signature as Record<string, unknown> | undefined;
  const list = sig?.[kind];
  if (!Array.isArray(list)) return out;
  for (const t of list) {
    if (!t || typeof t !== 'object') continue;
    const r = t as Record<string, unknown>;
    if (typeof r.name !== 'string') continue;
    out.set(r.name, {
      features: Array.isArray(r.features) ? r.features.map(String) : undefined,
      description: typeof r.description === 'string' ? r.description : undefined,
    });
  }
  return out;
}

/** The `signature:` section text (no trailing newline). */
export function signatureText(doc: ManifestDocument, meta: ModelMetadata, columns: string[]): string {
  const lines = ['signature:'];
  for (const kind of ['inputs', 'outputs'] as const) {
    const known = existingTensors(doc, kind);
    lines.push(`  ${kind}:`);
    for (const t of meta[kind]) {
      const prev = known.get(t.name);
      const shape = manifestShape(t);
      lines.push(`    - name: ${yamlString(t.name)}`);
      lines.push(`      dtype: ${t.dtype === 'unknown' ? 'float32' : t.dtype}`);
      lines.push(`      shape: [${shape.join(', ')}]`);
      if (kind === 'inputs') {
        const size = fixedSize(t);
        const features = size !== undefined && columns.length === size && meta.inputs.length === 1 ? columns : prev?.features;
        if (features?.length) lines.push(`      features: ${flowList(features, '      features: ['.length)}`);
      }
      if (prev?.description) lines.push(`      description: ${yamlString(prev.description)}`);
    }
  }
  return lines.join('\n');
}

/** Replaces the signature section, or adds one after `model`. */
export function fillSignatureEdit(doc: ManifestDocument, meta: ModelMetadata, columns: string[]): TextEdit | undefined {
  const root = doc.parsed.doc.contents as Node | null;
  if (root && !isMap(root)) return undefined;
  const text = signatureText(doc, meta, columns);
  const key = keyNodeAt(doc.parsed, ['signature']);
  if (key?.range) {
    const value = nodeAt(doc.parsed, ['signature']);
    const start = lineStartOf(doc.text, key.range[0]);
    const end = lineEndBefore(doc.text, value?.range?.[1] ?? key.range[1]);
    return { range: { start: doc.positionAt(start), end: doc.positionAt(end) }, newText: text };
  }
  const model = nodeAt(doc.parsed, ['model']);
  const after = model?.range ? lineEndBefore(doc.text, model.range[1]) : doc.text.length;
  const lead = after === 0 || doc.text[after - 1] === '\n' ? '' : '\n';
  const p = doc.positionAt(after);
  return { range: { start: p, end: p }, newText: lead + text + (after === doc.text.length ? '\n' : '') };
}
