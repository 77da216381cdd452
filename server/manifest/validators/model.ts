// The model layer: the artifact is a loadable ONNX file, and the signature
// matches it — names, dtypes and shapes; the class and feature counts come
// from the processing compiler, given the model's tensors.
// Metadata comes from runtime's loadModelMetadata, cached by path + mtime,
// so re-validating an unchanged model costs one stat.
import { stat } from 'node:fs/promises';
import { relative } from 'node:path';
import { loadModelMetadata, ModelLoadError, type Dim, type ModelMetadata, type TensorInfo } from '../../runtime/onnx';
import { isUri, resolveDataPath } from '../dataset';
import type { ManifestDiagnostic } from '../diagnostics';
import { closest } from '../suggest';
import { fileProblem } from './files';
import { problemDiagnostic, processingProblems } from './steps';
import { fieldName, report, type JsonPath, type ValidationContext, type Validator } from './types';

export const modelValidator: Validator = {
  name: 'model',
  async validate(ctx: ValidationContext): Promise<ManifestDiagnostic[]> {
    if (!ctx.valid(['model', 'artifact'])) return [];
    const artifact = ctx.manifest.model.artifact;
    const at = ['model', 'artifact'];
    const { parsed } = ctx;
    if (isUri(artifact)) {
      return [
        report(
          parsed,
          at,
          'MG301',
          `model.artifact "${artifact}" is a URI, but ModelGate serves a local ONNX file: download it next to the manifest and give its relative path`,
        ),
      ];
    }
    const abs = resolveDataPath(ctx.manifestDir, artifact);
    try {
      const st = await stat(abs);
      if (st.isDirectory()) return [report(parsed, at, 'MG301', `model.artifact "${artifact}" is a directory: point at the .onnx file inside it`)];
    } catch (err) {
      const why = await fileProblem(err as NodeJS.ErrnoException, abs, ctx.manifestDir, '.onnx');
      return [report(parsed, at, 'MG301', `model.artifact "${artifact}" ${why.message}`, why.suggestion ? { data: { suggestion: why.suggestion } } : {})];
    }
    let meta: ModelMetadata;
    try {
      meta = await loadModelMetadata(abs);
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      const rel = relative(ctx.manifestDir, abs) || artifact;
      if (err instanceof ModelLoadError && err.identified) {
        // a file in another format: what it is and the one conversion that fixes it
        return [report(parsed, at, 'MG302', `not an ONNX model: "${artifact}" ${err.identified.what}; ${err.identified.fix}`)];
      }
      if (err instanceof ModelLoadError && /^not an ONNX model/.test(msg)) {
        const detail = msg
          .replace(/^not an ONNX model[^:]*:\s*/, '')
          .replace(abs, rel)
          .replace(/^\S+:\s*/, '');
        return [
          report(
            parsed,
            at,
            'MG302',
            `not an ONNX model: "${artifact}" ${detail.startsWith(rel) ? detail.slice(rel.length).trim() : detail}; export it again (torch.onnx.export, tf2onnx, skl2onnx) and check the path`,
          ),
        ];
      }
      return [report(parsed, at, 'MG301', `model.artifact "${artifact}" cannot be read: ${msg.replace(abs, rel)}`)];
    }
    return compareSignature(ctx, meta);
  },
};

function fmtShape(dims: Dim[]): string {
  return `[${dims.map((d) => (d === -1 ? '?' : String(d))).join(', ')}]`;
}

/** The model's shape as a manifest would write it: dynamic axes named. */
function manifestShape(dims: Dim[]): Dim[] {
  return dims.map((d, k) => (typeof d === 'number' && d >= 0 ? d : typeof d === 'string' ? d : k === 0 ? 'batch' : -1));
}

function describe(ts: TensorInfo[]): string {
  return ts.map((t) => `"${t.name}" ${t.dtype} ${fmtShape(t.shape)}`).join(', ');
}

function compareSignature(ctx: ValidationContext, meta: ModelMetadata): ManifestDiagnostic[] {
  const { parsed, manifest } = ctx;
  const out: ManifestDiagnostic[] = [];
  if (!ctx.valid(['signature'])) return out;
  const sig = manifest.signature;
  if (!sig) {
    out.push(...modelProcessing(ctx, meta));
    out.push(
      report(
        parsed,
        ['model', 'artifact'],
        'MG310',
        `no signature: the model takes ${describe(meta.inputs)} and returns ${describe(meta.outputs)}; add a signature section (the quick fix fills it from the model) so shapes and features are checked`,
        {
          data: {
            inputs: meta.inputs.map((t) => ({ ...t, shape: manifestShape(t.shape) })),
            outputs: meta.outputs.map((t) => ({ ...t, shape: manifestShape(t.shape) })),
          },
        },
      ),
    );
    return out;
  }
  const inputs = compareTensors(ctx, 'inputs', sig.inputs, meta.inputs, out);
  compareTensors(ctx, 'outputs', sig.outputs, meta.outputs, out);
  if (inputs.unmatched === 0) {
    const declared = new Set(sig.inputs.map((t) => t.name));
    const missing = meta.inputs.filter((t) => !declared.has(t.name));
    if (missing.length) {
      out.push(
        report(
          parsed,
          ['signature', 'inputs'],
          'MG309',
          `the model also needs ${missing.length === 1 ? 'input' : 'inputs'} ${describe(missing)}, which signature.inputs does not list: add ${missing.length === 1 ? 'it' : 'them'}, or requests cannot run`,
          { prefer: 'key', data: { inputs: missing.map((t) => ({ ...t, shape: manifestShape(t.shape) })) } },
        ),
      );
    }
  }
  out.push(...modelProcessing(ctx, meta));
  return out;
}

function compareTensors(
  ctx: ValidationContext,
  kind: 'inputs' | 'outputs',
  declared: Array<{ name: string; dtype: string; shape: Dim[] }>,
  actual: TensorInfo[],
  out: ManifestDiagnostic[],
): { unmatched: number } {
  const { parsed } = ctx;
  const names = actual.map((t) => t.name);
  const declaredNames = new Set(declared.map((t) => t.name));
  let unmatched = 0;
  declared.forEach((t, i) => {
    const at: JsonPath = ['signature', kind, i];
    const model = actual.find((a) => a.name === t.name);
    const one = kind.slice(0, -1);
    if (!model) {
      unmatched++;
      const free = names.filter((n) => !declaredNames.has(n));
      const near = closest(t.name, names) ?? (free.length === 1 ? free[0] : undefined);
      out.push(
        report(
          parsed,
          [...at, 'name'],
          'MG303',
          `${fieldName([...at, 'name'])} "${t.name}" is not an ${one} of the model, whose ${kind} are ${names.map((n) => `"${n}"`).join(', ') || 'none'}${near ? `: did you mean "${near}"?` : ''}`,
          near ? { data: { suggestion: near } } : {},
        ),
      );
      return;
    }
    if (model.dtype !== 'unknown' && model.dtype !== t.dtype) {
      out.push(
        report(
          parsed,
          [...at, 'dtype'],
          'MG304',
          `${fieldName([...at, 'dtype'])} is ${t.dtype}, but the model's ${one} "${t.name}" is ${model.dtype}: set dtype: ${model.dtype}`,
          { data: { suggestion: model.dtype } },
        ),
      );
    }
    if (model.dtype === 'unknown') return;
    // the most common export mistake: torch.onnx.export without dynamic_axes fixes the batch size
    const batch = model.shape[0];
    if (kind === 'inputs' && typeof batch === 'number' && batch >= 1 && model.shape.length >= 1) {
      out.push(
        report(
          parsed,
          [...at, 'shape'],
          'MG352',
          `the model's input "${t.name}" has a fixed batch size of ${batch} (shape ${fmtShape(model.shape)}): it was exported without a dynamic batch axis, so it takes exactly ${batch} row${batch === 1 ? '' : 's'} per run; ModelGate serves and tests it by running rows in chunks of ${batch}${batch === 1 ? '' : ' (the last one padded)'}, without the speed of batching; for batched inference export it again with torch.onnx.export(..., dynamic_axes={'${t.name}': {0: 'batch'}}) (tf2onnx and skl2onnx: give the batch axis as None), then set shape: [batch, ${manifestShape(model.shape).slice(1).join(', ')}]`,
        ),
      );
    }
    const suggestion = manifestShape(model.shape).map((d, k) => (typeof t.shape[k] === 'string' || t.shape[k] === -1 ? t.shape[k]! : d));
    if (t.shape.length !== model.shape.length) {
      out.push(
        report(
          parsed,
          [...at, 'shape'],
          'MG305',
          `${fieldName([...at, 'shape'])} ${fmtShape(t.shape)} has ${t.shape.length} dimensions, but the model's ${one} "${t.name}" has ${model.shape.length}: ${fmtShape(model.shape)}; use shape: [${manifestShape(model.shape).join(', ')}]`,
          { data: { suggestion: manifestShape(model.shape) } },
        ),
      );
      return;
    }
    t.shape.forEach((d, k) => {
      const m = model.shape[k]!;
      if (typeof d !== 'number' || d === -1) return; // symbolic in the manifest: matches anything
      if (typeof m === 'number' && m >= 0 && m !== d) {
        out.push(
          report(
            parsed,
            [...at, 'shape', k],
            'MG305',
            `${fieldName([...at, 'shape', k])} is ${d}, but the model's ${one} "${t.name}" has ${m} there (shape ${fmtShape(model.shape)}): use ${m}`,
            { data: { suggestion: m, shape: suggestion } },
          ),
        );
      }
    });
  });
  return { unmatched };
}

/**
 * What the compiler finds once the model's tensors stand in for a missing
 * signature or size its symbolic dimensions, as serving compiles it. The
 * problems the steps validator found without the model are not repeated.
 */
function modelProcessing(ctx: ValidationContext, meta: ModelMetadata): ManifestDiagnostic[] {
  const key = (p: { code: string; path: JsonPath }) => `${p.code} ${p.path.join('.')}`;
  const seen = new Set(processingProblems(ctx).map(key));
  return processingProblems(ctx, meta)
    .filter((p) => !seen.has(key(p)))
    .map((p) => problemDiagnostic(ctx, p));
}
