// Validation: runs the manifest validator (the single source of every
// check) on manifests only, says what is wrong with files that cannot be
// read, and offers a header to a model.yaml that lacks one. Also starts
// loading the model and CSV headers so completion finds them warm.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { validateManifest } from '../../manifest/validate';
import type { ModelGateSettings } from '../../protocol/lsp';
import type { FileFacts } from '../fileFacts';
import { MAX_MANIFEST_BYTES, type ManifestDocument } from '../manifestDocument';
import { warmFacts } from '../manifestRefs';
import { toLspDiagnostic } from '../toLsp';

/** `data.fix` of the diagnostic that offers to add apiVersion and kind. */
export const ADD_HEADER = 'addHeader';

function firstLineRange(doc: ManifestDocument): Diagnostic['range'] {
  const nl = doc.text.indexOf('\n');
  const len = nl < 0 ? doc.text.length : nl;
  return { start: { line: 0, character: 0 }, end: { line: 0, character: Math.max(1, Math.min(len, 200)) } };
}

function whole(doc: ManifestDocument, code: string, message: string, severity: DiagnosticSeverity, data?: Record<string, unknown>): Diagnostic {
  return { range: firstLineRange(doc), severity, code, source: 'modelgate', message, data: { path: [], ...data } };
}

export function createValidationService(facts: FileFacts) {
  return {
    async validate(doc: ManifestDocument, settings: ModelGateSettings): Promise<Diagnostic[]> {
      if (doc.kind === 'other' || !settings.validate) return [];
      if (doc.unreadable === 'too-large') {
        const mb = (doc.text.length / 1024 / 1024).toFixed(1);
        return [
          whole(
            doc,
            'MG112',
            `manifest too large (${mb} MB, limit ${MAX_MANIFEST_BYTES / 1024 / 1024} MB): it is not checked. A manifest only points at the model and data; keep data in CSV files.`,
            DiagnosticSeverity.Error,
          ),
        ];
      }
      if (doc.unreadable === 'binary') {
        return [
          whole(
            doc,
            'MG101',
            'this file is binary, not YAML text: a model.yaml is a text file. Replace it with a manifest (run `modelgate init model.onnx` to write one).',
            DiagnosticSeverity.Error,
          ),
        ];
      }
      if (doc.kind === 'candidate') {
        return [
          whole(
            doc,
            'MG104',
            'no `apiVersion: modelgate/v1`: add it and `kind: Model` at the top to have this file checked as a ModelGate manifest.',
            DiagnosticSeverity.Information,
            { fix: ADD_HEADER },
          ),
        ];
      }
      warmFacts(doc, facts);
      const found = await validateManifest(doc.parsed, {
        manifestPath: doc.path ?? doc.uri,
        semantic: settings.semantic && doc.path !== undefined,
      });
      return found.slice(0, Math.max(1, settings.maxProblems)).map(toLspDiagnostic);
    },
  };
}

export type ValidationService = ReturnType<typeof createValidationService>;
