// The files a manifest points at (model artifact, datasets) and what the
// language services read from them. Works on half-typed documents too: when
// the parse loses a section, the references are found in the text.
import { isUri, resolveDataPath } from '../manifest/dataset';
import type { ModelMetadata } from '../runtime/onnx';
import type { FileFacts, Known } from './fileFacts';
import type { ManifestDocument } from './manifestDocument';

export interface ManifestRefs {
  /** Absolute path of model.artifact, when local. */
  artifact?: string;
  /** Absolute paths of local CSV datasets: training, validation, reference, current (in that order). */
  datasets: string[];
  /** model.classLabels as written. */
  classLabels: string[];
  labelColumn?: string;
}

function obj(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** References that the text states in block style, for documents that do not parse. */
function scanText(text: string): { artifact?: string; datasets: string[] } {
  const datasets: string[] = [];
  let artifact: string | undefined;
  const re = /^[ \t]*(?:-[ \t]+)?(artifact|path|reference|current)[ \t]*:[ \t]*["']?([^"'#\n]*?)["']?[ \t]*(?:#.*)?$/gm;
  for (const m of text.matchAll(re)) {
    const value = m[2]?.trim();
    if (!value || value.startsWith('{') || value.startsWith('[')) continue;
    if (m[1] === 'artifact') artifact ??= value;
    else datasets.push(value);
  }
  return { artifact, datasets };
}

export function manifestRefs(doc: ManifestDocument): ManifestRefs {
  const root = obj(doc.parsed.value);
  const model = obj(root.model);
  const data = obj(root.data);
  const written: string[] = [];
  for (const list of [data.training, data.validation]) {
    if (Array.isArray(list))
      for (const d of list) {
        const p = str(obj(d).path);
        if (p) written.push(p);
      }
  }
  for (const p of [str(data.reference), str(data.current)]) if (p) written.push(p);
  let artifact = str(model.artifact);
  if (!artifact || written.length === 0) {
    const scanned = scanText(doc.text);
    artifact ??= scanned.artifact;
    if (written.length === 0) written.push(...scanned.datasets);
  }
  const local = (p: string | undefined): string | undefined => (p && doc.dir && !isUri(p) ? resolveDataPath(doc.dir, p) : undefined);
  const datasets = [...new Set(written.map(local).filter((p): p is string => !!p && p.toLowerCase().endsWith('.csv')))];
  const classLabels = Array.isArray(model.classLabels) ? model.classLabels.map(String) : [];
  return { artifact: local(artifact), datasets, classLabels, labelColumn: str(data.labelColumn) };
}

export interface ModelInfo extends Known<ModelMetadata> {
  path?: string;
  pending: boolean;
}

export async function modelInfo(doc: ManifestDocument, facts: FileFacts, budgetMs: number): Promise<ModelInfo> {
  const path = manifestRefs(doc).artifact;
  if (!path) return { pending: false };
  return { path, ...(await facts.models.get(path, budgetMs)) };
}

/**
 * Column names of the manifest's datasets, `first` dataset's columns first,
 * without duplicates. `pending` is true when a header was still loading.
 */
export async function datasetColumns(
  doc: ManifestDocument,
  facts: FileFacts,
  budgetMs: number,
  first?: string,
): Promise<{ columns: string[]; pending: boolean }> {
  const paths = manifestRefs(doc).datasets;
  const firstPath = first && doc.dir && !isUri(first) ? resolveDataPath(doc.dir, first) : undefined;
  const ordered = firstPath ? [firstPath, ...paths.filter((p) => p !== firstPath)] : paths;
  const headers = await Promise.all(ordered.map((p) => facts.headers.get(p, budgetMs)));
  const columns = [...new Set(headers.flatMap((h) => h.value ?? []))];
  return { columns, pending: headers.some((h) => h.pending) };
}

/** Starts loading everything completion and hover may ask for, without waiting. */
export function warmFacts(doc: ManifestDocument, facts: FileFacts): void {
  const refs = manifestRefs(doc);
  if (refs.artifact) facts.models.touch(refs.artifact);
  for (const p of refs.datasets) facts.headers.touch(p);
  if (doc.dir) facts.dirs.touch(doc.dir);
}
