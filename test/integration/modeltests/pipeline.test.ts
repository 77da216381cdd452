// The staleness and metrics suites end to end through runTests: a real
// server on an ephemeral loopback port, the real samples, the HTTP path.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runTests, TestUsageError } from '../../../server/pipeline';
import { startServer } from '../../../server/serving/server';
import type { GateResult, Report } from '../../../server/protocol/report';
import { reportSchemaErrors } from '../../../server/report/validateReport';

const samples = resolve(__dirname, '../../../samples');
const byId = (r: Report, id: string): GateResult => {
  const g = r.gates.find((x) => x.id === id);
  assert.ok(g, `gate ${id} not in ${r.gates.map((x) => x.id).join(', ')}`);
  return g;
};
const valid = (r: Report) => assert.deepEqual(reportSchemaErrors(JSON.parse(JSON.stringify(r))), []);

describe('breast-cancer passes staleness and metrics', () => {
  let report: Report;
  const progress: string[] = [];
  before(async () => {
    report = await runTests(join(samples, 'breast-cancer/model.yaml'), {
      only: ['staleness', 'metrics'],
      onProgress: (e) => progress.push(`${e.suite}:${e.step}`),
    });
  });

  test('every gate that ran passes; the stress gates are listed as not run, so the verdict is incomplete', () => {
    assert.deepEqual(
      report.gates.filter((g) => g.status === 'failed' || g.status === 'inconclusive').map((g) => g.message),
      [],
    );
    const notRun = report.gates.filter((g) => g.status === 'not run');
    assert.deepEqual([...new Set(notRun.map((g) => g.suite))], ['stress'], notRun.map((g) => g.id).join(', '));
    assert.deepEqual(
      notRun.filter((g) => g.suite === 'stress').map((g) => g.id),
      ['stress.p99', 'stress.rps', 'stress.errorRate', 'stress.correctness'],
    );
    assert.ok(notRun.filter((g) => g.suite === 'stress').every((g) => /limited to staleness, metrics \(--only\)/.test(g.reason ?? '')));
    assert.equal(report.summary.verdict, 'incomplete');
    assert.equal(report.summary.passed, false);
    assert.deepEqual([report.summary.suitesRun, report.summary.suitesNotRun], [['staleness', 'metrics'], ['stress']]);
    assert.equal(report.complete, true);
    assert.equal(report.suites.stress, undefined);
    valid(report);
  });

  test('metrics are measured over HTTP with zero skew against in-process predictions', () => {
    const m = report.suites.metrics!;
    assert.equal(m.task, 'classification');
    assert.ok(m.rows > 100);
    assert.equal(m.skew!.maxAbsDiff, 0);
    assert.equal(
      m.confusion!.matrix.flat().reduce((a, b) => a + b, 0),
      m.rows,
    );
    assert.ok(m.overall.roc_auc! > 0.95);
    assert.match(
      byId(report, 'metrics.accuracy').how,
      /scored through POST http:\/\/127\.0\.0\.1:\d+\/v2\/models\/breast-cancer\/versions\/1\.0\.0\/infer, served over v2 binary tensors/,
    );
    assert.ok(
      report.gates.some((g) => g.id.startsWith('metrics.accuracy@')),
      'the slice gate ran',
    );
    assert.equal(m.slices?.length, 1);
    assert.equal(report.gates.filter((g) => g.id.startsWith('metrics.regression.')).length, 0, 'the sample (a first version) declares no maxRegression');
  });

  test('staleness: ages, 30 features with why, prediction shares, gate sources', () => {
    const s = report.suites.staleness!;
    assert.equal(s.features.length, 30);
    assert.ok(s.features.every((f) => f.why.length > 20 && Number.isFinite(f.statistic)));
    assert.equal(s.features.find((f) => f.feature === 'mean radius')!.method, 'psi');
    assert.equal(s.prediction!.labels.length, 2);
    assert.ok(Math.abs(s.prediction!.current.reduce((a, b) => a + b, 0) - 1) < 1e-9);
    const age = byId(report, 'staleness.modelAge');
    assert.equal(age.threshold.value, 365);
    assert.deepEqual(age.source?.path, ['staleness', 'maxModelAge']);
    assert.ok(age.source!.line > 1);
    assert.ok(progress.includes('serve:starting server') && progress.includes('serve:stopping server'));
  });
});

test('the stale sample fails model and data age, naming the gate and the margin', async () => {
  const r = await runTests(join(samples, 'breast-cancer-stale/model.yaml'), { only: ['staleness'] });
  valid(r);
  const age = byId(r, 'staleness.modelAge');
  assert.equal(age.pass, false);
  assert.ok(age.measured! > 700);
  assert.match(age.message, /^staleness\.modelAge: \d+(\.\d+)? d > 365 d by \d+(\.\d+)? d$/);
  assert.equal(byId(r, 'staleness.dataAge').pass, false);
  assert.equal(r.summary.passed, false);
  assert.equal(r.summary.failed, 2);
});

test('the drifted sample fails feature, dataset and prediction drift gates', async () => {
  const r = await runTests(join(samples, 'breast-cancer-drifted/model.yaml'), { only: ['staleness'] });
  valid(r);
  const share = byId(r, 'staleness.driftedShare');
  assert.equal(share.pass, false);
  assert.match(share.message, /staleness\.driftedShare: [\d.]+ > 0\.2 by [\d.]+ \(\d+ of 30 features drifted: .*mean radius/);
  const radius = byId(r, 'staleness.drift.mean radius');
  assert.equal(radius.pass, false);
  assert.match(radius.message, /≥ 0\.25 by/);
  assert.equal(byId(r, 'staleness.prediction.training').pass, false);
  assert.ok(r.suites.staleness!.features.filter((f) => f.drifted).length >= 7);
});

/** breast-cancer 1.1.0 with the maxRegression rule a next version adds, its paths pointing at the sample. */
async function nextVersionManifest(dir: string): Promise<string> {
  const bc = join(samples, 'breast-cancer');
  const text = (await readFile(join(bc, 'model.yaml'), 'utf8'))
    .replace(/^( {2}version: )1\.0\.0$/m, '$11.1.0')
    .replace('artifact: model.onnx', `artifact: ${bc}/model.onnx`)
    .replaceAll('path: data/', `path: ${bc}/data/`)
    .replace(/^( {2}(reference|current): )data\//gm, `$1${bc}/data/`)
    .replace(/^ {2}skewTolerance:/m, '  maxRegression: [{metric: accuracy, maxAbsoluteDrop: 0.01, maxRelativeDrop: 0.02}]\n  skewTolerance:');
  const path = join(dir, 'model.yaml');
  await writeFile(path, text);
  return path;
}

test('maxRegression without a baseline: its gates are not run, with what to do, and the verdict is incomplete', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'modelgate-regression-'));
  try {
    const r = await runTests(await nextVersionManifest(dir), { only: ['metrics'] });
    valid(r);
    const reg = r.gates.filter((g) => g.id.startsWith('metrics.regression.'));
    assert.deepEqual(
      reg.map((g) => [g.id, g.status]),
      [
        ['metrics.regression.accuracy.absolute', 'not run'],
        ['metrics.regression.accuracy.relative', 'not run'],
      ],
    );
    assert.match(reg[0]!.reason!, /no earlier version to compare with/);
    assert.match(reg[0]!.nextStep!, /--baseline/);
    assert.equal(r.summary.verdict, 'incomplete');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('champion/challenger against a baseline manifest on the same rows', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'modelgate-regression-'));
  try {
    const r = await runTests(await nextVersionManifest(dir), { only: ['metrics'], baseline: join(samples, 'breast-cancer-stale/model.yaml') });
    valid(r);
    const b = r.suites.metrics!.baseline!;
    assert.equal(b.version, '0.9.0');
    // Same ONNX file: no change at all.
    assert.deepEqual(
      b.comparisons.map((c) => [c.metric, c.absoluteChange, c.pass]),
      [['accuracy', 0, true]],
    );
    assert.deepEqual(
      r.gates.filter((g) => g.id.startsWith('metrics.regression')).map((g) => [g.id, g.status, g.measured]),
      [
        ['metrics.regression.accuracy.absolute', 'passed', 0],
        ['metrics.regression.accuracy.relative', 'passed', 0],
      ],
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('diabetes: regression metrics over HTTP', async () => {
  const r = await runTests(join(samples, 'diabetes/model.yaml'), { only: ['metrics'] });
  valid(r);
  const m = r.suites.metrics!;
  assert.equal(m.task, 'regression');
  assert.deepEqual(Object.keys(m.overall).sort(), ['mae', 'mape', 'r2', 'rmse']);
  assert.ok(
    r.gates.filter((g) => g.suite === 'metrics').every((g) => g.status === 'passed'),
    r.gates.map((g) => g.message).join('\n'),
  );
  assert.ok(m.residuals!.predicted.length === m.rows);
});

describe('edge cases in the data', () => {
  let dir: string;
  const bc = join(samples, 'breast-cancer');
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'modelgate-staleness-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function manifestWith(current: string, extra = ''): Promise<string> {
    const text =
      (await readFile(join(bc, 'model.yaml'), 'utf8'))
        .replace('artifact: model.onnx', `artifact: ${join(bc, 'model.onnx')}`)
        .replace(/path: data\//g, `path: ${bc}/data/`)
        .replace('reference: data/', `reference: ${bc}/data/`)
        .replace('current: data/current.csv', 'current: current.csv') + extra;
    await writeFile(join(dir, 'current.csv'), current);
    await writeFile(join(dir, 'model.yaml'), text);
    return join(dir, 'model.yaml');
  }

  test('empty current data fails the drift gates with a clear message, no NaN', async () => {
    const header = (await readFile(join(bc, 'data/current.csv'), 'utf8')).split('\n')[0]!;
    const r = await runTests(await manifestWith(header + '\n'), { only: ['staleness'] });
    valid(r);
    const share = byId(r, 'staleness.driftedShare');
    assert.equal(share.measured, null);
    assert.match(share.message, /current data .*current\.csv has no rows/);
    assert.equal(byId(r, 'staleness.prediction.training').pass, false);
    assert.equal(byId(r, 'staleness.modelAge').pass, true);
    assert.doesNotMatch(JSON.stringify(r), /NaN/);
  });

  test('missing cells and a constant column are reported and excluded, not NaN', async () => {
    const lines = (await readFile(join(bc, 'data/current.csv'), 'utf8')).trim().split('\n');
    const rows = lines.slice(1).map((l, i) => {
      const cells = l.split(',');
      if (i % 10 === 0) cells[1] = '';
      cells[2] = '91.5';
      return cells.join(',');
    });
    const r = await runTests(await manifestWith([lines[0], ...rows].join('\n') + '\n'), { only: ['staleness'] });
    valid(r);
    const s = r.suites.staleness!;
    const texture = s.features.find((f) => f.feature === 'mean texture')!;
    assert.equal(texture.missing.current, Math.ceil(rows.length / 10));
    assert.match(texture.note!, /missing values excluded/);
    assert.match(s.notes.join(' '), /row\(s\) of .* have a missing or non-numeric feature and were not scored/);
    const perimeter = s.features.find((f) => f.feature === 'mean perimeter')!;
    assert.equal(perimeter.drifted, true, 'a column stuck at one value in current data drifts');
    assert.doesNotMatch(JSON.stringify(r), /NaN/);
  });
});

test('with url, the suites use a running server and leave it running', async () => {
  const server = await startServer({ manifests: [join(samples, 'digits/model.yaml')], host: '127.0.0.1', port: 0, logger: false });
  try {
    const r = await runTests(join(samples, 'digits/model.yaml'), { only: ['metrics'], url: server.url });
    valid(r);
    assert.ok(
      r.gates.filter((g) => g.suite === 'metrics').every((g) => g.status === 'passed'),
      r.gates.map((g) => g.message).join('\n'),
    );
    assert.ok(byId(r, 'metrics.accuracy').how.includes(server.url));
    assert.equal(r.suites.metrics!.confusion!.labels.length, 10);
    const res = await fetch(`${server.url}/v2/health/ready`);
    assert.equal(res.status, 200, 'the server given with url is still serving');
    await assert.rejects(
      runTests(join(samples, 'breast-cancer/model.yaml'), { only: ['metrics'], url: server.url }),
      (err: Error) => err instanceof TestUsageError && /does not serve breast-cancer version 1\.0\.0/.test(err.message),
    );
  } finally {
    await server.close();
  }
});
