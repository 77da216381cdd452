// Semantic rules on `data` that need no file: label frequencies against the
// class labels, training windows against trainedAt and the clock, and label
// columns for the metric gates.
import type { ManifestDiagnostic } from '../diagnostics';
import { dateMs } from '../names';
import { closest } from '../suggest';
import { fieldName, report, type SyncValidator, type ValidationContext } from './types';

/** How far a sum of label frequencies may be from 1 (rounding in the manifest). */
export const FREQUENCY_TOLERANCE = 0.01;
/** Clock skew tolerated before a date counts as "in the future". */
const FUTURE_SLACK_MS = 5 * 60_000;

export const dataRulesValidator: SyncValidator = {
  name: 'data-rules',
  validate(ctx: ValidationContext): ManifestDiagnostic[] {
    return [...frequencies(ctx), ...dates(ctx), ...labelColumns(ctx)];
  },
};

function frequencies(ctx: ValidationContext): ManifestDiagnostic[] {
  const { manifest, parsed } = ctx;
  const at = ['data', 'labelFrequencies'];
  if (!ctx.valid(at)) return [];
  const freq = manifest.data?.labelFrequencies;
  if (!freq) return [];
  const out: ManifestDiagnostic[] = [];
  const entries = Object.entries(freq);
  const sum = entries.reduce((a, [, v]) => a + v, 0);
  if (entries.length > 0 && Math.abs(sum - 1) > FREQUENCY_TOLERANCE) {
    out.push(
      report(
        parsed,
        at,
        'MG205',
        `data.labelFrequencies sum to ${+sum.toFixed(4)}, not 1: each value is the share of one class in the training data (0.37 = 37 %), so together they must sum to 1 (±${FREQUENCY_TOLERANCE})`,
        { prefer: 'key' },
      ),
    );
  }
  const task = ctx.valid(['model', 'task']) ? manifest.model?.task : undefined;
  if (task === 'regression' || !ctx.valid(['model', 'classLabels'])) return out;
  const labels = manifest.model?.classLabels;
  if (!labels) return out;
  const extra = entries.map(([k]) => k).filter((k) => !labels.includes(k));
  const missing = labels.filter((l) => !(l in freq));
  for (const k of extra) {
    const near = closest(k, missing.length ? missing : labels);
    out.push(
      report(
        parsed,
        [...at, k],
        'MG206',
        `data.labelFrequencies has "${k}", which is not one of model.classLabels (${labels.join(', ')})${near ? `: did you mean "${near}"?` : ': remove it or correct the name'}`,
        { prefer: 'key', data: near ? { suggestion: near, key: k } : { key: k } },
      ),
    );
  }
  if (missing.length > 0) {
    out.push(
      report(
        parsed,
        at,
        'MG206',
        `data.labelFrequencies has no entry for ${missing.map((m) => `"${m}"`).join(', ')}: give the share of every class in model.classLabels`,
        { prefer: 'key', data: { missing } },
      ),
    );
  }
  return out;
}

function dates(ctx: ValidationContext): ManifestDiagnostic[] {
  const { manifest, parsed } = ctx;
  const out: ManifestDiagnostic[] = [];
  const now = ctx.now.getTime();
  const trainedText = ctx.valid(['model', 'trainedAt']) ? manifest.model?.trainedAt : undefined;
  const trained = trainedText !== undefined ? dateMs(trainedText) : undefined;
  if (trained !== undefined && trained > now + FUTURE_SLACK_MS) {
    out.push(
      report(
        parsed,
        ['model', 'trainedAt'],
        'MG209',
        `model.trainedAt ${trainedText} is in the future (now is ${new Date(now).toISOString().slice(0, 19)}Z): use the time training finished, with its time zone (Z for UTC)`,
        // The quick fix offers now, the latest time training can have finished.
        { data: { suggestion: `${new Date(now).toISOString().slice(0, 19)}Z` } },
      ),
    );
  }
  const training = ctx.valid(['data', 'training']) ? (manifest.data?.training ?? []) : [];
  training.forEach((t, i) => {
    const at = ['data', 'training', i, 'window'];
    if (!t.window || !ctx.valid(at)) return;
    const start = dateMs(t.window.start);
    const end = dateMs(t.window.end);
    if (start !== undefined && end !== undefined && start > end) {
      out.push(report(parsed, [...at, 'start'], 'MG208', `${fieldName(at)} starts (${t.window.start}) after it ends (${t.window.end}): swap start and end`));
    }
    if (end !== undefined && trained !== undefined && end > trained) {
      out.push(
        report(
          parsed,
          [...at, 'end'],
          'MG207',
          `${fieldName([...at, 'end'])} ${t.window.end} is after model.trainedAt ${trainedText}: a model cannot be trained on data that did not exist yet; correct the window end or trainedAt`,
        ),
      );
    } else if (end !== undefined && end > now + FUTURE_SLACK_MS) {
      out.push(report(parsed, [...at, 'end'], 'MG209', `${fieldName([...at, 'end'])} ${t.window.end} is in the future: use the last date the data covers`));
    }
  });
  return out;
}

function labelColumns(ctx: ValidationContext): ManifestDiagnostic[] {
  const { manifest, parsed } = ctx;
  if (!ctx.valid(['gates', 'metrics'], ['data', 'validation'], ['data', 'labelColumn'])) return [];
  const gates = manifest.gates?.metrics ?? [];
  if (gates.length === 0) return [];
  const validation = manifest.data?.validation;
  if (!validation || validation.length === 0) {
    return [
      report(
        parsed,
        ['gates', 'metrics'],
        'MG211',
        'gates.metrics need labelled validation data, but data.validation is missing: add `data: {validation: [{path: data/validation.csv}], labelColumn: target}`',
        { prefer: 'key' },
      ),
    ];
  }
  const out: ManifestDiagnostic[] = [];
  validation.forEach((v, i) => {
    if (v.labelColumn === undefined && manifest.data?.labelColumn === undefined) {
      out.push(
        report(
          parsed,
          ['data', 'validation', i],
          'MG211',
          `data.validation[${i}] has no label column, so gates.metrics cannot be computed: set data.labelColumn (for every dataset) or labelColumn on this dataset`,
        ),
      );
    }
  });
  return out;
}
