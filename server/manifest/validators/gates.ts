// Semantic rules on `gates`: metric thresholds that can never pass (or
// always do), metrics that do not fit the task, class and average options
// that do not fit the model, and regression rules that check nothing.
import type { ManifestDiagnostic } from '../diagnostics';
import { closest } from '../suggest';
import { fieldName, report, type SyncValidator, type ValidationContext } from './types';

export const CLASSIFICATION_METRICS = ['accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'log_loss', 'ece'] as const;
export const REGRESSION_METRICS = ['mae', 'rmse', 'r2', 'mape'] as const;

/** The values a metric can take; undefined bound = unbounded. */
const METRIC_RANGE: Record<string, { lo?: number; hi?: number }> = {
  accuracy: { lo: 0, hi: 1 },
  precision: { lo: 0, hi: 1 },
  recall: { lo: 0, hi: 1 },
  f1: { lo: 0, hi: 1 },
  roc_auc: { lo: 0, hi: 1 },
  ece: { lo: 0, hi: 1 },
  log_loss: { lo: 0 },
  mae: { lo: 0 },
  rmse: { lo: 0 },
  mape: { lo: 0 },
  r2: { hi: 1 },
};

const AVERAGED = new Set(['precision', 'recall', 'f1', 'roc_auc']);

function metricTaskProblem(metric: string, task: string | undefined): string | undefined {
  if (task === 'classification' && (REGRESSION_METRICS as readonly string[]).includes(metric)) {
    return `"${metric}" is a regression metric, but model.task is classification: use one of ${CLASSIFICATION_METRICS.join(', ')}, or set model.task: regression`;
  }
  if (task === 'regression' && (CLASSIFICATION_METRICS as readonly string[]).includes(metric)) {
    return `"${metric}" is a classification metric, but model.task is regression: use one of ${REGRESSION_METRICS.join(', ')}, or set model.task: classification`;
  }
  return undefined;
}

export const gatesValidator: SyncValidator = {
  name: 'gates',
  validate(ctx: ValidationContext): ManifestDiagnostic[] {
    const out: ManifestDiagnostic[] = [];
    const { parsed, manifest } = ctx;
    const task = ctx.valid(['model', 'task']) ? manifest.model?.task : undefined;
    const labels = ctx.valid(['model', 'classLabels']) ? manifest.model?.classLabels : undefined;
    const metrics = ctx.valid(['gates', 'metrics']) ? (manifest.gates?.metrics ?? []) : [];
    metrics.forEach((g, i) => {
      const at = ['gates', 'metrics', i];
      if (!ctx.valid([...at, 'metric'], [...at, 'min'], [...at, 'max'])) return;
      const problem = metricTaskProblem(g.metric, task);
      if (problem) out.push(report(parsed, [...at, 'metric'], 'MG121', `${fieldName([...at, 'metric'])} ${problem}`));
      if (g.min !== undefined && g.max !== undefined && g.min > g.max) {
        out.push(
          report(parsed, [...at, 'max'], 'MG120', `${fieldName(at)} has min ${g.min} above max ${g.max}, so no value can pass: swap or correct the bounds`),
        );
      }
      const range = METRIC_RANGE[g.metric];
      if (range) {
        const pct = range.hi === 1 && range.lo === 0 ? (v: number) => (v >= 5 && v <= 100 ? ` (a percentage? write ${+(v / 100).toFixed(4)})` : '') : () => '';
        if (g.min !== undefined && range.hi !== undefined && g.min > range.hi) {
          out.push(
            report(
              parsed,
              [...at, 'min'],
              'MG122',
              `${fieldName([...at, 'min'])} ${g.min} can never pass: ${g.metric} is at most ${range.hi}; use a threshold from ${range.lo ?? '-∞'} to ${range.hi}${pct(g.min)}`,
              // The quick fix: a percentage written as a share, else the highest value the metric reaches.
              { data: { suggestion: pct(g.min) ? +(g.min / 100).toFixed(4) : range.hi } },
            ),
          );
        }
        if (g.max !== undefined && range.lo !== undefined && g.max < range.lo) {
          out.push(
            report(
              parsed,
              [...at, 'max'],
              'MG122',
              `${fieldName([...at, 'max'])} ${g.max} can never pass: ${g.metric} is never below ${range.lo}; use a positive threshold`,
            ),
          );
        }
        if (g.min !== undefined && range.lo !== undefined && g.min < range.lo) {
          out.push(
            report(
              parsed,
              [...at, 'min'],
              'MG122',
              `${fieldName([...at, 'min'])} ${g.min} always passes: ${g.metric} is never below ${range.lo}; use a threshold that can fail, e.g. ${range.hi === 1 ? '0.9' : '0.5'}`,
              { severity: 'warning' },
            ),
          );
        }
      }
      if (ctx.valid([...at, 'class'], [...at, 'average'])) {
        out.push(...classAndAverage(ctx, at, g.metric, g.class, g.average, task, labels));
      }
      if (ctx.valid([...at, 'slice']) && g.slice) {
        const s = g.slice;
        if (s.min !== undefined && s.max !== undefined && s.min > s.max) {
          out.push(
            report(
              parsed,
              [...at, 'slice', 'max'],
              'MG120',
              `${fieldName([...at, 'slice'])} has min ${s.min} above max ${s.max}, so the slice is empty: swap or correct the bounds`,
            ),
          );
        }
        if (s.equals === undefined && s.min === undefined && s.max === undefined) {
          out.push(
            report(
              parsed,
              [...at, 'slice'],
              'MG107',
              `${fieldName([...at, 'slice'])} selects every row: add equals, min or max to say which rows of "${s.column}" form the slice`,
              { prefer: 'key' },
            ),
          );
        }
      }
    });
    const rules = ctx.valid(['gates', 'maxRegression']) ? (manifest.gates?.maxRegression ?? []) : [];
    rules.forEach((r, i) => {
      const at = ['gates', 'maxRegression', i];
      if (!ctx.valid(at)) return;
      const problem = metricTaskProblem(r.metric, task);
      if (problem) out.push(report(parsed, [...at, 'metric'], 'MG121', `${fieldName([...at, 'metric'])} ${problem}`));
      if (r.maxAbsoluteDrop === undefined && r.maxRelativeDrop === undefined) {
        out.push(
          report(parsed, at, 'MG132', `${fieldName(at)} checks nothing: add maxAbsoluteDrop (e.g. 0.01) or maxRelativeDrop (e.g. 0.02) for ${r.metric}`),
        );
      }
    });
    return out;
  },
};

function classAndAverage(
  ctx: ValidationContext,
  at: (string | number)[],
  metric: string,
  cls: string | undefined,
  average: string | undefined,
  task: string | undefined,
  labels: string[] | undefined,
): ManifestDiagnostic[] {
  const out: ManifestDiagnostic[] = [];
  const { parsed } = ctx;
  if (cls !== undefined) {
    if (task === 'regression') {
      out.push(report(parsed, [...at, 'class'], 'MG123', `${fieldName([...at, 'class'])} has no meaning for a regression model: remove it`));
    } else if (labels && !labels.includes(cls)) {
      const near = closest(cls, labels);
      out.push(
        report(
          parsed,
          [...at, 'class'],
          'MG123',
          `${fieldName([...at, 'class'])} "${cls}" is not one of model.classLabels (${labels.join(', ')})${near ? `: did you mean "${near}"?` : ': use one of them'}`,
          near ? { data: { suggestion: near } } : {},
        ),
      );
    } else if (!AVERAGED.has(metric) && metric !== 'accuracy') {
      out.push(
        report(
          parsed,
          [...at, 'class'],
          'MG123',
          `${fieldName([...at, 'class'])} has no effect on ${metric}: per-class values exist for precision, recall, f1, roc_auc and accuracy; remove it`,
          { severity: 'warning' },
        ),
      );
    }
  }
  if (average !== undefined) {
    if (task === 'regression' || !AVERAGED.has(metric)) {
      out.push(
        report(
          parsed,
          [...at, 'average'],
          'MG123',
          `${fieldName([...at, 'average'])} has no effect on ${metric}: averaging applies to precision, recall, f1 and roc_auc; remove it`,
          { severity: 'warning' },
        ),
      );
    } else if (average === 'binary' && labels && labels.length > 2) {
      out.push(
        report(
          parsed,
          [...at, 'average'],
          'MG123',
          `${fieldName([...at, 'average'])} is binary, but the model has ${labels.length} classes: use macro, weighted or micro, or set class to one label`,
        ),
      );
    } else if (cls !== undefined) {
      out.push(
        report(parsed, [...at, 'average'], 'MG123', `${fieldName([...at, 'average'])} is ignored because class "${cls}" is set: remove one of them`, {
          severity: 'warning',
        }),
      );
    }
  }
  return out;
}
