// Hover: the schema's description of the field under the cursor (key or
// value), the meaning of an enum value, and for `model.artifact` the real
// inputs and outputs read from the ONNX file.
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver-types';
import type { TensorInfo } from '../../runtime/onnx';
import type { FileFacts } from '../fileFacts';
import { locate, pathLabel } from '../locate';
import type { ManifestDocument } from '../manifestDocument';
import { modelInfo } from '../manifestRefs';
import { enumDocs, schemaAt, typeLabel } from '../schemaNav';
import { yamlInline } from '../yamlText';
import { pathPattern } from './completion';

function tensorRows(kind: string, tensors: TensorInfo[]): string[] {
  return tensors.map((t) => `| ${kind} | \`${t.name}\` | ${t.dtype} | [${t.shape.join(', ')}] |`);
}

async function modelSection(doc: ManifestDocument, facts: FileFacts, budgetMs: number): Promise<string> {
  const model = await modelInfo(doc, facts, budgetMs);
  if (!model.path) return '';
  if (model.value) {
    const m = model.value;
    return [
      `**${m.path}** (${(m.sizeBytes / 1024).toFixed(1)} KiB)`,
      '',
      '| | name | dtype | shape |',
      '|---|---|---|---|',
      ...tensorRows('input', m.inputs),
      ...tensorRows('output', m.outputs),
    ].join('\n');
  }
  if (model.error) return `Cannot read the model: ${model.error}`;
  return `Reading \`${model.path}\`… hover again in a moment.`;
}

export function createHoverService(facts: FileFacts, opts: { budgetMs: number } = { budgetMs: 100 }) {
  return {
    async hover(doc: ManifestDocument, position: Position): Promise<Hover | null> {
      if (doc.kind !== 'manifest' || doc.unreadable) return null;
      const at = locate(doc, doc.offsetAt(position));
      if (!at || at.path.length === 0) return null;
      const schema = schemaAt(at.path, undefined, doc.parsed.value);
      if (!schema) return null;
      const parts: string[] = [];
      if (!at.onKey && at.value !== undefined && at.value !== null) {
        const doc = enumDocs(schema).get(String(at.value));
        if (doc) parts.push(`\`${String(at.value)}\`: ${doc}`, '');
      }
      parts.push(`**${pathLabel(at.path)}**: ${typeLabel(schema)}`);
      if (schema.description) parts.push('', schema.description);
      if (schema.default !== undefined) parts.push('', `Default: \`${yamlInline(schema.default)}\``);
      if (pathPattern(at.path) === 'model.artifact') {
        const section = await modelSection(doc, facts, opts.budgetMs);
        if (section) parts.push('', section);
      }
      return {
        contents: { kind: MarkupKind.Markdown, value: parts.join('\n') },
        range: { start: doc.positionAt(at.start), end: doc.positionAt(at.end) },
      };
    },
  };
}

export type HoverService = ReturnType<typeof createHoverService>;
