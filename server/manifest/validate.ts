// Manifest validation in three layers:
//   1. syntax (parse.ts) and schema (validators/schema.ts): synchronous;
//   2. rules on the manifest alone (gates, serving, steps, data rules):
//      synchronous, no disk, only on parts the schema accepted;
//   3. files: datasets (bounded CSV probes) and the ONNX model (cached
//      metadata), when `semantic` is on.
// Nothing here throws on user input: every problem is a diagnostic.
import { dirname, resolve } from 'node:path';
import type { ManifestDiagnostic } from './diagnostics';
import type { ParsedManifest } from './parse';
import type { ModelManifest } from './types';
import { dataRulesValidator } from './validators/dataRules';
import { dataFilesValidator } from './validators/files';
import { gatesValidator } from './validators/gates';
import { modelValidator } from './validators/model';
import { numericCellsValidator } from './validators/numericCells';
import { operationsValidator } from './validators/operations';
import { checkSchema } from './validators/schema';
import { stepsValidator } from './validators/steps';
import { report, type JsonPath, type SyncValidator, type ValidationContext, type Validator } from './validators/types';

export interface ValidateOptions {
  manifestPath: string;
  /** Also check the files the manifest names: datasets and the ONNX model (default true). */
  semantic?: boolean;
  /** The clock for "in the future" checks; tests pin it. */
  now?: Date;
}

/** Rules that read only the manifest: cheap enough for every keystroke. */
export const manifestValidators: readonly SyncValidator[] = [gatesValidator, operationsValidator, stepsValidator, dataRulesValidator];
/** Rules that read the disk. */
export const fileValidators: readonly Validator[] = [dataFilesValidator, numericCellsValidator, modelValidator];

/** More than this many diagnostics helps nobody (and a garbage file can make thousands). */
const MAX_DIAGNOSTICS = 200;

interface Prepared {
  diagnostics: ManifestDiagnostic[];
  ctx?: ValidationContext;
}

function prepare(parsed: ParsedManifest, opts: ValidateOptions): Prepared {
  const diagnostics = [...parsed.diagnostics];
  // A syntax error leaves the structure uncertain (a tab can move a key to
  // another mapping), so later layers would only add noise. A duplicate key
  // leaves a well-formed value, so checking goes on.
  if (diagnostics.some((d) => d.severity === 'error' && d.code !== 'MG102')) return { diagnostics };
  const schema = checkSchema(parsed);
  diagnostics.push(...schema.diagnostics);
  if (schema.stop) return { diagnostics };
  const invalid = schema.invalid;
  const overlaps = (a: JsonPath, b: JsonPath): boolean => {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) if (String(a[i]) !== String(b[i])) return false;
    return true;
  };
  const manifestPath = resolve(opts.manifestPath);
  const ctx: ValidationContext = {
    parsed,
    manifest: parsed.value as ModelManifest,
    manifestPath,
    manifestDir: dirname(manifestPath),
    now: opts.now ?? new Date(),
    valid: (...paths) => paths.every((p) => !invalid.some((q) => overlaps(p, q))),
  };
  return { diagnostics, ctx };
}

function failed(parsed: ParsedManifest, v: Validator, err: unknown): ManifestDiagnostic {
  const msg = err instanceof Error ? err.message : String(err);
  return report(parsed, [], 'MG100', `the ${v.name} check stopped on an internal error (${msg}); the other checks ran. Please report this with the manifest`);
}

function finish(diags: ManifestDiagnostic[]): ManifestDiagnostic[] {
  const seen = new Set<string>();
  const unique = diags.filter((d) => {
    const k = `${d.code}\0${d.offset}\0${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  unique.sort((a, b) => a.offset - b.offset || a.code.localeCompare(b.code));
  return unique.slice(0, MAX_DIAGNOSTICS);
}

/**
 * Syntax, schema and the manifest-only rules, synchronously: what an editor
 * can afford on every keystroke. validateManifest adds the file checks.
 */
export function validateManifestSync(parsed: ParsedManifest, opts: ValidateOptions): ManifestDiagnostic[] {
  const { diagnostics, ctx } = prepare(parsed, opts);
  if (ctx) {
    for (const v of manifestValidators) {
      try {
        diagnostics.push(...v.validate(ctx));
      } catch (err) {
        diagnostics.push(failed(parsed, v, err));
      }
    }
  }
  return finish(diagnostics);
}

export async function validateManifest(parsed: ParsedManifest, opts: ValidateOptions): Promise<ManifestDiagnostic[]> {
  const { diagnostics, ctx } = prepare(parsed, opts);
  if (!ctx) return finish(diagnostics);
  const validators = opts.semantic === false ? manifestValidators : [...manifestValidators, ...fileValidators];
  const results = await Promise.all(
    validators.map(async (v) => {
      try {
        return await v.validate(ctx);
      } catch (err) {
        return [failed(parsed, v, err)];
      }
    }),
  );
  return finish([...diagnostics, ...results.flat()]);
}
