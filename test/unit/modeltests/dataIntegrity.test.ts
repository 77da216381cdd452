// Row accounting and the data gates: file lines of dropped rows, the
// dropped-share gate, data.minRows on metric gates, and the declared gates
// (a skipped suite lists the same ids as a run).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { numberCellProblem } from '../../../server/manifest/cellValue';
import { DEFAULT_MAX_DROPPED_SHARE, DEFAULT_MIN_ROWS, dataLimits } from '../../../server/manifest/dataLimits';
import { fileLine, readTable } from '../../../server/manifest/dataset';
import type { LoadedManifest } from '../../../server/manifest/load';
import { parseManifest } from '../../../server/manifest/parse';
import { compileProcessing } from '../../../server/manifest/compileProcessing';
import { tableInputs } from '../../../server/manifest/predict';
import type { ModelManifest } from '../../../server/manifest/types';
import { droppedShareGate, droppedShareSpec, tooFewRows } from '../../../server/modeltests/dataGates';
import { datasetUse, droppedText } from '../../../server/modeltests/datasetUse';
import { declaredGates } from '../../../server/modeltests/declaredGates';
import { compactFiniteRows, firstNonFinite } from '../../../server/modeltests/metrics/finiteRows';
import { metricGates } from '../../../server/modeltests/metrics/metricGates';
import { tableUse } from '../../../server/modeltests/staleness/tableUse';

const dir = mkdtempSync(join(tmpdir(), 'mg-data-integrity-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function csv(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

function loadedOf(body: string): LoadedManifest {
  const text = `apiVersion: modelgate/v1
kind: Model
metadata: {name: demo, version: 1.0.0}
model: {artifact: model.onnx, task: classification, classLabels: [neg, pos]}
signature:
  inputs: [{name: features, dtype: float32, shape: [batch, 2], features: [a, b]}]
  outputs: [{name: probabilities, dtype: float32, shape: [batch, 2]}]
${body}`;
  const parsed = parseManifest(text);
  assert.deepEqual(parsed.diagnostics, []);
  return { path: '/w/model.yaml', dir: '/w', manifest: parsed.value as ModelManifest, parsed, diagnostics: [] };
}

describe('file lines of table rows', () => {
  test('simple CSV: blank lines and CRLF keep the file line of each row', async () => {
    const t = await readTable(csv('simple.csv', 'a,b\r\n1,2\r\n\r\n3,4\r\n\n5,6\n'));
    assert.deepEqual(
      [0, 1, 2].map((r) => fileLine(t, r)),
      [2, 4, 6],
    );
  });

  test('quoted CSV: a cell spanning lines starts its row on its first line', async () => {
    const t = await readTable(csv('quoted.csv', 'a,b,note\n1,2,"x"\n\n3,4,"two\nlines"\n5,6,y\n'));
    assert.deepEqual(
      t.rows.map((_, r) => fileLine(t, r)),
      [2, 4, 6],
    );
  });

  test('a table without line numbers counts the header as line 1', () => {
    assert.equal(fileLine({ path: 'x', columns: ['a'], rows: [['1'], ['2']] }, 1), 3);
  });
});

describe('cells that are not numbers', () => {
  test('the rule matches Number(cell) with blanks as missing', () => {
    assert.equal(numberCellProblem('1.5'), undefined);
    assert.equal(numberCellProblem(' 0 '), undefined);
    assert.equal(numberCellProblem('1e-3'), undefined);
    assert.equal(numberCellProblem(''), 'empty cell');
    assert.equal(numberCellProblem('  '), 'empty cell');
    assert.equal(numberCellProblem('n/a'), 'marked missing, not a number');
    assert.equal(numberCellProblem('NaN'), 'marked missing, not a number');
    assert.equal(numberCellProblem('Infinity'), 'not a finite number');
    assert.equal(numberCellProblem('twelve'), 'not a number');
    assert.match(numberCellProblem(undefined)!, /shorter than the header/);
  });
});

describe('row accounting', () => {
  const loaded = loadedOf('');
  const plan = compileProcessing(loaded.manifest);

  test('compactFiniteRows lists the dropped rows; firstNonFinite names the feature', async () => {
    const t = await readTable(csv('drops.csv', 'a,b,y\n1,2,0\nn/a,2,1\n3,,0\n4,5,1\n'));
    const raw = tableInputs(plan, t);
    const f = compactFiniteRows(plan, raw);
    assert.deepEqual([f.rows, f.dropped, [...f.kept], [...f.droppedRows]], [2, 2, [0, 3], [1, 2]]);
    assert.deepEqual(firstNonFinite(plan, raw, 1), { input: 0, feature: 'a' });
    assert.deepEqual(firstNonFinite(plan, raw, 2), { input: 0, feature: 'b' });
    assert.equal(firstNonFinite(plan, raw, 0), undefined);
  });

  test('datasetUse: counts, the first drops in row order with line, column, cell and why', async () => {
    const t = await readTable(csv('use.csv', 'a,b,y\n1,2,0\n\nn/a,2,1\n3,x,0\n4,5,maybe\n'));
    const use = datasetUse({
      suite: 'metrics',
      role: 'validation',
      table: t,
      rowsUsed: 1,
      rowsDropped: 3,
      drops: [
        { row: 3, column: 'y', why: 'label is none of model.classLabels (neg, pos)' },
        { row: 1, column: 'a' },
        { row: 2, column: 'b' },
      ],
    });
    assert.equal(use.rowsRead, 4);
    assert.deepEqual(use.dropped, [
      { line: 4, column: 'a', value: 'n/a', why: 'marked missing, not a number' },
      { line: 5, column: 'b', value: 'x', why: 'not a number' },
      { line: 6, column: 'y', value: 'maybe', why: 'label is none of model.classLabels (neg, pos)' },
    ]);
    assert.match(
      droppedText(use, 2),
      /use\.csv:4 column "a" = "n\/a" \(marked missing, not a number\); .*use\.csv:5 column "b" = "x" \(not a number\); and 1 more row$/,
    );
  });

  test('droppedText groups rows dropped for the same cell and reason', async () => {
    const t = await readTable(csv('same.csv', 'a,b,y\nn/a,1,0\nn/a,1,0\nn/a,1,0\nn/a,1,0\n'));
    const use = datasetUse({
      suite: 'metrics',
      role: 'validation',
      table: t,
      rowsUsed: 0,
      rowsDropped: 4,
      drops: [0, 1, 2, 3].map((row) => ({ row, column: 'a' })),
    });
    assert.match(droppedText(use), /same\.csv:2 \(also lines 3, 4\) column "a" = "n\/a" \(marked missing, not a number\); and 1 more row$/);
  });

  test('tableUse of a staleness table: rows whose model features are all numbers', async () => {
    const t = await readTable(csv('current.csv', 'a,b\n1,2\nnull,2\n3,4\n'));
    const u = tableUse(plan, t, 'current');
    assert.ok('use' in u);
    assert.deepEqual([u.use.rowsRead, u.use.rowsUsed, u.use.rowsDropped, u.use.suite, u.use.role], [3, 2, 1, 'staleness', 'current']);
    assert.deepEqual(u.use.dropped, [{ line: 3, column: 'a', value: 'null', why: 'marked missing, not a number' }]);
    const missing = tableUse(plan, await readTable(csv('nob.csv', 'a\n1\n')), 'reference');
    assert.ok('error' in missing && /no column "b"/.test(missing.error));
  });
});

describe('dropped-share gate', () => {
  const use = (read: number, dropped: number) => ({
    role: 'validation',
    path: 'data/v.csv',
    suite: 'metrics' as const,
    rowsRead: read,
    rowsUsed: read - dropped,
    rowsDropped: dropped,
    dropped: dropped ? [{ line: 5, column: 'mean radius', value: 'n/a', why: 'marked missing, not a number' }] : [],
  });

  test('defaults: 0.01 and 30, as the schema says', () => {
    const schema = JSON.parse(readFileSync('server/manifest/model.schema.json', 'utf8'));
    assert.equal(schema.properties.data.properties.maxDroppedShare.default, DEFAULT_MAX_DROPPED_SHARE);
    assert.equal(schema.properties.data.properties.minRows.default, DEFAULT_MIN_ROWS);
    assert.deepEqual([dataLimits(loadedOf('').manifest).maxDroppedShare, dataLimits(loadedOf('').manifest).minRows], [0.01, 30]);
  });

  test('51 of 54 rows dropped fails, naming the first dropped row and what to do', () => {
    const loaded = loadedOf('data:\n  validation: [{path: data/v.csv}]\n');
    const spec = droppedShareSpec(loaded, 'metrics', 'validation', ['data', 'validation', 0, 'path'], 'a feature not a number');
    const g = droppedShareGate(loaded, spec, use(54, 51));
    assert.equal(g.id, 'metrics.data.validation.droppedShare');
    assert.equal(g.status, 'failed');
    assert.equal(g.measured, 51 / 54);
    assert.deepEqual(g.threshold, { op: '<=', value: 0.01 });
    assert.match(g.message, /51 of 54 rows dropped: data\/v\.csv:5 column "mean radius" = "n\/a"/);
    assert.match(
      g.nextStep!,
      /fix or remove the dropped rows of data\/v\.csv \(first: line 5, column "mean radius"\).*raise data\.maxDroppedShare \(now 0\.01\)/,
    );
    assert.match(g.how, /rows of data\.validation\[0\]\.path left out .*data\.maxDroppedShare = 0\.01 \(default\)/);
    assert.deepEqual([g.source?.path, g.source?.line], [['data', 'validation', 0, 'path'], 9], 'points at the dataset path when maxDroppedShare is not set');
  });

  test('within data.maxDroppedShare it passes; the gate points at the setting', () => {
    const loaded = loadedOf('data:\n  maxDroppedShare: 0.05\n  validation: [{path: data/v.csv}]\n');
    const spec = droppedShareSpec(loaded, 'metrics', 'validation', ['data', 'validation', 0, 'path'], 'x');
    const g = droppedShareGate(loaded, spec, use(100, 5));
    assert.equal(g.status, 'passed');
    assert.deepEqual([g.source?.path, g.source?.line], [['data', 'maxDroppedShare'], 9]);
    assert.equal(droppedShareGate(loaded, spec, use(100, 6)).status, 'failed');
  });

  test('a file with no rows is not run, not passed', () => {
    const loaded = loadedOf('');
    const g = droppedShareGate(loaded, droppedShareSpec(loaded, 'staleness', 'current', ['data', 'current'], 'x'), use(0, 0));
    assert.equal(g.status, 'not run');
    assert.match(g.reason!, /no data rows/);
  });
});

describe('data.minRows on metric gates', () => {
  const loaded = loadedOf('data:\n  minRows: 20\ngates:\n  metrics: [{metric: accuracy, min: 0.5}]\n');
  const metrics = { task: 'classification' as const, overall: { accuracy: 1 }, classLabels: ['neg', 'pos'] };

  test('a gate on fewer rows fails with the rows and the limit, whatever it measured', () => {
    const [g] = metricGates(loaded, () => ({ metrics, how: 'h', rows: { count: 3, what: 'usable rows of data/v.csv (51 of 54 rows dropped)' } }));
    assert.equal(g!.status, 'failed');
    assert.equal(g!.measured, null);
    assert.match(g!.reason!, /only 3 usable rows of data\/v\.csv \(51 of 54 rows dropped\), fewer than data\.minRows = 20: .* \(on them it measured 1\)/);
    assert.match(g!.nextStep!, /at least 20 usable rows/);
  });

  test('enough rows: judged as usual; no row count given: as before', () => {
    assert.equal(metricGates(loaded, () => ({ metrics, how: 'h', rows: { count: 20, what: 'rows' } }))[0]!.status, 'passed');
    assert.equal(metricGates(loaded, () => ({ metrics, how: 'h' }))[0]!.status, 'passed');
    assert.equal(metricGates(loaded, () => ({ metrics: { error: 'file missing' }, how: 'h' }))[0]!.status, 'not run');
  });

  test('tooFewRows uses the default of 30', () => {
    assert.match(tooFewRows(loadedOf('').manifest, 29, 'rows')!, /fewer than data\.minRows = 30 \(default\)/);
    assert.equal(tooFewRows(loadedOf('').manifest, 30, 'rows'), undefined);
  });
});

describe('declared data gates', () => {
  const loaded = loadedOf(`data:
  labelColumn: y
  validation: [{path: v.csv}]
  reference: r.csv
  current: c.csv
gates:
  metrics: [{metric: accuracy, min: 0.5}]
staleness:
  drift: {maxDriftedShare: 0.2}
`);
  const now = new Date('2026-11-23T00:00:00Z');

  test('a skipped suite lists the dropped-share gates of the datasets its gates use', () => {
    const metrics = declaredGates(loaded, 'metrics', now, 'skipped').map((g) => g.id);
    assert.ok(metrics.includes('metrics.data.validation.droppedShare'), metrics.join(', '));
    const staleness = declaredGates(loaded, 'staleness', now, 'skipped').map((g) => g.id);
    assert.deepEqual(
      staleness.filter((id) => id.includes('.data.')),
      ['staleness.data.reference.droppedShare', 'staleness.data.current.droppedShare'],
    );
    assert.ok(declaredGates(loaded, 'staleness', now, 'skipped').every((g) => g.status === 'not run'));
  });

  test('no drift or prediction gate: the drift tables gate nothing, so they get no gate', () => {
    const plain = loadedOf('data:\n  reference: r.csv\n  current: c.csv\n');
    assert.deepEqual(
      declaredGates(plain, 'staleness', now, 'skipped').map((g) => g.id),
      [],
    );
    assert.deepEqual(
      declaredGates(plain, 'metrics', now, 'skipped').map((g) => g.id),
      ['metrics.skew'],
      'no validation set: only the skew gate',
    );
  });
});
