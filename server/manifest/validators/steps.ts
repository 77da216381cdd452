// Signature features and pre/postprocessing, checked by the same compiler
// serving runs (compileProcessing.ts), so lint and serving agree on every
// manifest. Only parts the schema accepted are compiled. Class labels must
// also fit the task: warnings serving does not need, so they live here.
import { tryCompileProcessing, type ProcessingProblem } from '../compileProcessing';
import type { ManifestDiagnostic } from '../diagnostics';
import type { ModelSignature } from '../processing';
import { fieldName, report, type SyncValidator, type ValidationContext } from './types';

export const stepsValidator: SyncValidator = {
  name: 'steps',
  validate(ctx: ValidationContext): ManifestDiagnostic[] {
    return [...processingProblems(ctx).map((p) => problemDiagnostic(ctx, p)), ...labelsAndTask(ctx)];
  },
};

/** The compiler's problems for this manifest; with `model`, also those only the model's tensors reveal. */
export function processingProblems(ctx: ValidationContext, model?: ModelSignature): ProcessingProblem[] {
  return tryCompileProcessing(ctx.manifest, { model, trusted: (p) => ctx.valid(p) }).problems;
}

export function problemDiagnostic(ctx: ValidationContext, p: ProcessingProblem): ManifestDiagnostic {
  return report(ctx.parsed, p.path, p.code, p.message, { prefer: p.prefer, data: p.data });
}

function labelsAndTask(ctx: ValidationContext): ManifestDiagnostic[] {
  const { manifest, parsed } = ctx;
  const out: ManifestDiagnostic[] = [];
  if (!ctx.valid(['model', 'task'], ['model', 'classLabels'])) return out;
  const task = manifest.model?.task;
  const labels = manifest.model?.classLabels;
  if (task === 'classification' && !labels) {
    out.push(
      report(
        parsed,
        ['model', 'task'],
        'MG130',
        'model.task is classification but model.classLabels is missing: predictions are reported as class indices and class gates cannot be checked; add classLabels in the order of the output columns, e.g. classLabels: [negative, positive]',
      ),
    );
  }
  if (task === 'regression' && labels) {
    out.push(
      report(
        parsed,
        ['model', 'classLabels'],
        'MG130',
        'model.classLabels has no meaning for a regression model: remove it, or set model.task: classification',
      ),
    );
  }
  if (task === 'regression' && ctx.valid(['data', 'labelFrequencies']) && manifest.data?.labelFrequencies) {
    out.push(
      report(
        parsed,
        ['data', 'labelFrequencies'],
        'MG130',
        'data.labelFrequencies has no meaning for a regression model: remove it, or set model.task: classification',
        { prefer: 'key' },
      ),
    );
  }
  const post = ctx.valid(['postprocessing']) ? (manifest.postprocessing ?? []) : [];
  post.forEach((s, j) => {
    const at = ['postprocessing', j, 'op'];
    if (task === 'regression' && ctx.valid(['postprocessing', j])) {
      out.push(
        report(
          parsed,
          at,
          'MG130',
          `${fieldName(at)} ${s.op} turns class scores into classes, but model.task is regression: remove the step, or set model.task: classification`,
        ),
      );
    }
  });
  return out;
}
