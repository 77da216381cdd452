// Converts manifest diagnostics to LSP diagnostics. The manifest path and the
// validator's data ride along in `data`, so code actions know what to fix
// without validating again.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import type { ManifestDiagnostic } from '../manifest/diagnostics';

const SEVERITY: Record<ManifestDiagnostic['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export interface DiagnosticData extends Record<string, unknown> {
  path: (string | number)[];
}

// The code list ships with the package (docs/diagnostic-codes.md); it is
// found from this file, bundled (dist/) or not (server/lsp/).
let codesDoc: string | null | undefined;
function codesDocUri(): string | null {
  if (codesDoc !== undefined) return codesDoc;
  codesDoc = null;
  for (let dir = __dirname, i = 0; i < 4; i++, dir = dirname(dir)) {
    const p = join(dir, 'docs', 'diagnostic-codes.md');
    if (existsSync(p)) {
      codesDoc = pathToFileURL(p).href;
      break;
    }
  }
  return codesDoc;
}

export function toLspDiagnostic(d: ManifestDiagnostic): Diagnostic {
  const doc = codesDocUri();
  const data: DiagnosticData = { ...(d.data ?? {}), path: d.path };
  return {
    range: d.range,
    severity: SEVERITY[d.severity],
    code: d.code,
    ...(doc ? { codeDescription: { href: `${doc}#${d.code.toLowerCase()}` } } : {}),
    source: 'modelgate',
    message: d.message,
    data,
  };
}

export function diagnosticData(d: Diagnostic): DiagnosticData | undefined {
  const data = d.data as DiagnosticData | undefined;
  return data && Array.isArray(data.path) ? data : undefined;
}
