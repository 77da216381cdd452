// Document links: the model artifact and dataset paths open the file they
// name (resolved next to the manifest) when it exists; http(s) URIs open too.
import { isScalar, type Node } from 'yaml';
import { pathToFileURL } from 'node:url';
import type { DocumentLink } from 'vscode-languageserver-types';
import { isUri, resolveDataPath } from '../../manifest/dataset';
import { nodeAt, type JsonPath } from '../../manifest/parse';
import type { FileFacts } from '../fileFacts';
import type { ManifestDocument } from '../manifestDocument';

function linkedPaths(value: unknown): JsonPath[] {
  const data = (value as { data?: Record<string, unknown> } | undefined)?.data;
  const out: JsonPath[] = [
    ['model', 'artifact'],
    ['data', 'reference'],
    ['data', 'current'],
  ];
  for (const list of ['training', 'validation'] as const) {
    const items = data?.[list];
    if (Array.isArray(items)) items.forEach((_, i) => out.push(['data', list, i, 'path']));
  }
  return out;
}

export function createLinkService(facts: FileFacts, opts: { budgetMs: number } = { budgetMs: 100 }) {
  return {
    async links(doc: ManifestDocument): Promise<DocumentLink[]> {
      if (doc.kind !== 'manifest' || doc.unreadable) return [];
      const found = await Promise.all(
        linkedPaths(doc.parsed.value).map(async (path): Promise<DocumentLink | undefined> => {
          const node = nodeAt(doc.parsed, path) as Node | undefined;
          if (!isScalar(node) || typeof node.value !== 'string' || !node.range || node.value.trim() === '') return undefined;
          const ref = node.value.trim();
          let start = node.range[0];
          let end = node.range[1];
          if (doc.text[start] === '"' || doc.text[start] === "'") {
            start++;
            end--;
          }
          const range = { start: doc.positionAt(start), end: doc.positionAt(end) };
          if (isUri(ref)) return /^https?:/i.test(ref) ? { range, target: ref } : undefined;
          if (!doc.dir) return undefined;
          const abs = resolveDataPath(doc.dir, ref);
          const exists = await facts.exists.get(abs, opts.budgetMs);
          return exists.value ? { range, target: pathToFileURL(abs).href, tooltip: abs } : undefined;
        }),
      );
      return found.filter((l): l is DocumentLink => l !== undefined);
    },
  };
}

export type LinkService = ReturnType<typeof createLinkService>;
