// Loads a manifest from disk for the engine (serving, tests, publishing):
// parse, validate, and fail with every error at its place when it is unusable.
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ModelGateError } from '../protocol/errors';
import type { ManifestDiagnostic } from './diagnostics';
import { isSeq, parseDocument } from 'yaml';
import { parseManifest, type ParsedManifest } from './parse';
import type { ModelManifest } from './types';
import { validateManifest } from './validate';

export interface LoadedManifest {
  /** Absolute path of model.yaml */
  path: string;
  dir: string;
  manifest: ModelManifest;
  parsed: ParsedManifest;
  diagnostics: ManifestDiagnostic[];
  /** Data files the manifest names that are not there (loaded with `dataOptional`): the suites that need them say so. */
  missingData?: { field: string; file: string }[];
}

export type DataRole = 'training' | 'validation' | 'reference' | 'current';
export const DATA_ROLES: readonly DataRole[] = ['training', 'validation', 'reference', 'current'];

export interface LoadOptions {
  semantic?: boolean;
  /**
   * Data files that may be missing without stopping the load — a published
   * artifact holds the model and its manifest, not the CSVs: serving needs
   * none, and each test that does reports what is missing.
   */
  dataOptional?: boolean;
  /** CSV files to use instead of the manifest's own (`--data validation=val.csv`), resolved from the working directory. */
  data?: Partial<Record<DataRole, string>>;
}

/** The manifest text with data paths replaced (absolute), comments and layout kept. */
function withData(text: string, data: Partial<Record<DataRole, string>>): string {
  const doc = parseDocument(text);
  for (const role of DATA_ROLES) {
    const file = data[role];
    if (file === undefined) continue;
    const path = resolve(file);
    if (role === 'training' || role === 'validation') {
      const list = doc.getIn(['data', role]);
      if (isSeq(list) && list.items.length > 0) doc.setIn(['data', role, 0, 'path'], path);
      else doc.setIn(['data', role], doc.createNode([{ path }]));
    } else doc.setIn(['data', role], path);
  }
  return String(doc);
}

/** Code of a manifest that cannot be read at all (no diagnostics to give). */
export const MANIFEST_NOT_FOUND = 'MG113';

/**
 * A manifest the engine cannot use. Its code is the first error's, so every
 * door (CLI exit code, LSP error data) reports what lint would; exit code 1
 * for problems in the file, 2 when there is no file to read.
 */
export class ManifestError extends ModelGateError {
  constructor(
    readonly path: string,
    readonly diagnostics: ManifestDiagnostic[],
    message?: string,
  ) {
    const first = diagnostics.find((d) => d.severity === 'error') ?? diagnostics[0];
    super(
      first?.code ?? MANIFEST_NOT_FOUND,
      message ?? formatErrors(path, diagnostics),
      diagnostics.length ? 1 : 2,
      diagnostics.length ? `run \`modelgate lint ${path}\`` : 'check the path, or create a manifest with `modelgate init model.onnx`',
    );
    this.name = 'ManifestError';
  }
}

export function formatDiagnostic(path: string, d: ManifestDiagnostic): string {
  return `${path}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity} ${d.code} ${d.message}`;
}

function formatErrors(path: string, diags: ManifestDiagnostic[]): string {
  const errors = diags.filter((d) => d.severity === 'error');
  return `${path} has ${errors.length} error(s); fix them (run \`modelgate lint ${path}\`):\n` + errors.map((d) => '  ' + formatDiagnostic(path, d)).join('\n');
}

/** Accepts a manifest file or a directory holding model.yaml. */
export async function resolveManifestPath(p: string): Promise<string> {
  const abs = resolve(p);
  try {
    if ((await stat(abs)).isDirectory()) return join(abs, 'model.yaml');
  } catch {
    // reported by the read below
  }
  return abs;
}

/**
 * Errors about what the data holds that the tests measure and gate on their
 * own (MG212: the dropped-share gates): lint fails on them, but serving and
 * testing go on, so the gate can say which rows and by how much.
 */
const GATED_BY_TESTS: ReadonlySet<string> = new Set(['MG212']);

export async function loadManifest(p: string, opts: LoadOptions = {}): Promise<LoadedManifest> {
  const path = await resolveManifestPath(p);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new ManifestError(
      path,
      [],
      `cannot read manifest ${path}: ${e.code === 'ENOENT' ? 'the file does not exist (create one with `modelgate init model.onnx`)' : e.message}`,
    );
  }
  if (opts.data && Object.values(opts.data).some((v) => v !== undefined)) text = withData(text, opts.data);
  const parsed = parseManifest(text);
  const diagnostics = await validateManifest(parsed, { manifestPath: path, semantic: opts.semantic ?? true });
  const missing = (d: ManifestDiagnostic): boolean => opts.dataOptional === true && d.code === 'MG201' && d.path[0] === 'data';
  if (diagnostics.some((d) => d.severity === 'error' && !GATED_BY_TESTS.has(d.code) && !missing(d))) throw new ManifestError(path, diagnostics);
  const loaded: LoadedManifest = { path, dir: dirname(path), manifest: parsed.value as ModelManifest, parsed, diagnostics };
  const gone = diagnostics.filter(missing);
  if (gone.length > 0) {
    loaded.missingData = gone.map((d) => ({ field: fieldOf(d.path), file: String(/"([^"]+)"/.exec(d.message)?.[1] ?? '') }));
  }
  return loaded;
}

function fieldOf(path: (string | number)[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}
