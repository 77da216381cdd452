// Manifest validation entry point. (Schema layer only for now; the files and
// semantic layers plug in behind the same function.)
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import schema from './model.schema.json';
import type { ManifestDiagnostic } from './diagnostics';
import { diagnosticAt, type ParsedManifest } from './parse';

export interface ValidateOptions {
  manifestPath: string;
  /** Run the files and semantic layers (needs disk and the ONNX runtime). */
  semantic?: boolean;
}

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
ajv.addFormat('date-or-date-time', /^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/);
const check = ajv.compile(schema);

export async function validateManifest(parsed: ParsedManifest, _opts: ValidateOptions): Promise<ManifestDiagnostic[]> {
  const out = [...parsed.diagnostics];
  if (out.some((d) => d.severity === 'error')) return out;
  if (!check(parsed.value)) {
    for (const e of check.errors ?? []) {
      const path = e.instancePath.split('/').slice(1).map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));
      out.push(diagnosticAt(parsed, path, 'MG110', 'error', `${e.instancePath || 'manifest'} ${e.message}`));
    }
  }
  return out;
}
