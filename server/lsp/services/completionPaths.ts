// Completes relative paths next to the manifest: folders (to walk into) and
// files with the extension the field expects (.onnx for the model, .csv for
// datasets).
import { resolve } from 'node:path';
import { CompletionItemKind, type CompletionItem, type Range } from 'vscode-languageserver-types';
import type { CursorContext } from '../cursorContext';
import type { FileFacts } from '../fileFacts';
import type { ManifestDocument } from '../manifestDocument';
import { yamlString } from '../yamlText';

const SKIP_DIRS = new Set(['node_modules', '.git', '__pycache__']);

export async function completePath(
  doc: ManifestDocument,
  facts: FileFacts,
  ctx: CursorContext,
  range: Range,
  ext: string,
  budgetMs: number,
): Promise<{ items: CompletionItem[]; pending: boolean }> {
  if (!doc.dir || /^[a-z][a-z0-9+.-]*:\/\//i.test(ctx.prefix)) return { items: [], pending: false };
  const slash = ctx.prefix.lastIndexOf('/');
  const folder = slash >= 0 ? ctx.prefix.slice(0, slash + 1) : '';
  const typedName = ctx.prefix.slice(folder.length);
  const listing = await facts.dirs.get(resolve(doc.dir, folder || '.'), budgetMs);
  const lead = ctx.needsSpace ? ' ' : '';
  const items: CompletionItem[] = [];
  for (const e of listing.value ?? []) {
    if (e.name.startsWith('.') && !typedName.startsWith('.')) continue;
    if (e.isDirectory) {
      if (SKIP_DIRS.has(e.name)) continue;
      const text = folder + e.name + '/';
      items.push({
        label: e.name + '/',
        kind: CompletionItemKind.Folder,
        textEdit: { range, newText: lead + text },
        filterText: text,
        sortText: '1' + e.name,
        // Walking into a folder asks for its contents straight away.
        command: { title: 'Suggest', command: 'editor.action.triggerSuggest' },
      });
    } else if (e.name.toLowerCase().endsWith(ext)) {
      const text = folder + e.name;
      items.push({
        label: e.name,
        kind: CompletionItemKind.File,
        detail: text,
        textEdit: { range, newText: lead + yamlString(text, ctx.flow) },
        filterText: text,
        sortText: '0' + e.name,
      });
    }
  }
  return { items, pending: listing.pending };
}
