import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { GateResult, Report } from '../../../server/protocol/report';
import { buildReport, summarize } from '../../../server/report/build';
import { reportSchemaErrors } from '../../../server/report/validateReport';
import { parseManifest } from '../../../server/manifest/parse';
import type { LoadedManifest } from '../../../server/manifest/load';
import type { ModelManifest } from '../../../server/manifest/types';

// Every field of the report type, filled: the TypeScript compiler checks this
// literal against protocol/report.ts, the test checks it against schema.json,
// so the two cannot drift apart unnoticed.
const full: Report = {
  kind: 'modelgate-report',
  reportVersion: 2,
  model: { name: 'm', version: '1.0.0', manifest: 'model.yaml', artifact: 'model.onnx', artifactSha256: 'a'.repeat(64) },
  createdAt: '2026-11-23T10:00:00.000Z',
  durationMs: 1234,
  complete: false,
  cancelled: true,
  environment: { modelgate: '0.1.0', node: 'v20', platform: 'linux-x64', cpus: 2, cpuModel: 'cpu' },
  suites: {
    stress: {
      endpoint: 'http://127.0.0.1/v1/models/m:predict',
      bodies: { source: 'data/validation.csv', distinct: 100 },
      warmupS: 2,
      tolerance: 0.05,
      points: [
        {
          mode: 'open',
          connections: 4,
          offeredRps: 200,
          durationS: 5,
          throughputRps: 199.5,
          latencyUs: { p50: 500, p90: 700, p99: 900, p999: 1500, max: 2000, mean: 550 },
          requests: 1000,
          errors: 0,
          timeouts: 0,
          non2xx: 0,
          runs: [199, 200],
          spread: 0.005,
          stable: true,
          loadGeneratorCpu: 0.3,
          loadGeneratorBound: false,
          sloExceeded: false,
          sendLagUs: { mean: 10, max: 90 },
          p99IntervalUs: { low: 800, high: 1000, level: 0.95, windows: 10, windowS: 1 },
          p99Stable: true,
          noiseFloor: { latencyUs: { p50: 200, p90: 300, p99: 600, p999: 900, max: 1000, mean: 250 }, requests: 1000, failed: 0, throughputRps: 199.5 },
          otherCpuCores: 0.2,
        },
      ],
      maxSustainableRps: {
        value: 5000,
        p99Ms: 20,
        steps: [
          { offeredRps: 5000, p99Ms: 20, ok: true },
          { offeredRps: 9000, p99Ms: 80, ok: false, why: 'p99 80 ms > 50 ms', loadGeneratorBound: false },
        ],
      },
      slo: {
        rps: 200,
        p99LimitMs: 50,
        p99Ms: 0.9,
        p99IntervalMs: { low: 0.8, high: 1, level: 0.95 },
        noiseFloorP99Ms: 0.6,
        runs: 2,
        maxRuns: 6,
        p99Stable: true,
        sustained: true,
        why: 'p99 0.9 ms > 0.5 ms',
        loadGeneratorBound: false,
        otherCpuCores: 0.2,
        cores: 2,
        disagreement: 'why the two differ',
      },
      histogram: { bucketsUs: [100, 200], counts: [3, 4] },
      correctness: { sampled: 10, mismatches: 0, maxAbsDiff: 0, tolerance: 1e-4 },
      costPerMillion: { usd: 0.01, perHour: 0.1, rps: 5000 },
      notes: ['n'],
      cancelled: false,
    },
    staleness: {
      now: '2026-11-23T10:00:00.000Z',
      modelAgeDays: 1,
      dataAgeDays: 2,
      features: [
        {
          feature: 'x',
          kind: 'numeric',
          method: 'ks',
          why: 'auto',
          statistic: 0.1,
          pValue: 0.5,
          adjustedPValue: 0.75,
          psi: 0.01,
          threshold: 0.05,
          drifted: false,
          referenceRows: 10,
          currentRows: 10,
          missing: { reference: 0, current: 1 },
          note: 'n',
          bins: { edges: [0, 1, 2], reference: [0.5, 0.5], current: [0.4, 0.6] },
        },
        {
          feature: 'image: row mean',
          kind: 'numeric',
          method: 'ks',
          why: 'auto',
          statistic: 0.1,
          pValue: 0.5,
          adjustedPValue: 0.75,
          threshold: 0.05,
          drifted: false,
          referenceRows: 10,
          currentRows: 10,
          missing: { reference: 0, current: 0 },
          summaryOf: { input: 'image', features: 64, statistic: 'row mean' },
        },
        {
          feature: 'c',
          kind: 'categorical',
          method: 'chisquare',
          why: 'auto',
          statistic: 1,
          threshold: 0.05,
          drifted: false,
          referenceRows: 10,
          currentRows: 10,
          missing: { reference: 0, current: 0 },
          bins: { edges: ['a', 'b'], reference: [0.5, 0.5], current: [0.5, 0.5] },
        },
      ],
      driftedShare: 0,
      multipleTesting: { method: 'benjamini-hochberg', tests: 2, drifted: 0, driftedUncorrected: 0, why: 'w' },
      prediction: {
        labels: ['a', 'b'],
        current: [0.5, 0.5],
        training: [0.4, 0.6],
        reference: [0.5, 0.5],
        jsdVsTraining: 0.07,
        jsdVsReference: 0,
        threshold: 0.1,
      },
      notes: [],
    },
    metrics: {
      task: 'classification',
      dataset: 'v.csv',
      rows: 10,
      overall: { accuracy: 0.9 },
      perClass: [{ label: 'a', precision: 1, recall: 0.8, f1: 0.88, support: 5 }],
      confusion: {
        labels: ['a', 'b'],
        matrix: [
          [4, 1],
          [0, 5],
        ],
      },
      roc: [{ label: 'b', fpr: [0, 1], tpr: [0, 1], auc: 0.5 }],
      calibration: { bins: [{ confidence: 0.9, accuracy: 0.9, count: 10 }] },
      residuals: { predicted: [1], actual: [1] },
      slices: [{ name: 's', rows: 3, metrics: { accuracy: 1 } }],
      skew: { rows: 10, maxAbsDiff: 0, tolerance: 1e-4, mismatches: 0 },
      baseline: {
        name: 'm',
        version: '0.9.0',
        overall: { accuracy: 0.89 },
        comparisons: [{ metric: 'accuracy', champion: 0.89, challenger: 0.9, absoluteChange: 0.01, relativeChange: 0.0112, pass: true }],
      },
      notes: [],
    },
  },
  gates: [
    {
      id: 'metrics.accuracy',
      suite: 'metrics',
      metric: 'accuracy',
      threshold: { op: '>=', value: 0.8, unit: '' },
      measured: 0.9,
      status: 'passed',
      pass: true,
      how: 'h',
      margin: 0.1,
      message: 'ok',
      source: { path: ['gates', 'metrics', 0, 'min'], line: 3, column: 7 },
    },
    {
      id: 'staleness.modelAge',
      suite: 'staleness',
      metric: 'model age',
      threshold: { op: '<=', value: 365, unit: 'd' },
      measured: null,
      status: 'not run',
      pass: false,
      how: 'h',
      message: 'not measured',
      reason: 'model.trainedAt is not set',
      nextStep: 'add model.trainedAt',
    },
  ],
  datasets: [
    {
      role: 'validation',
      path: 'data/v.csv',
      rowsRead: 54,
      rowsUsed: 3,
      rowsDropped: 51,
      dropped: [{ line: 2, column: 'x', value: 'n/a', why: 'not a number' }],
      suite: 'metrics',
    },
  ],
  summary: {
    verdict: 'cancelled',
    passed: false,
    gates: 2,
    failed: 0,
    inconclusive: 0,
    notRun: 1,
    suitesRun: ['metrics'],
    suitesNotRun: ['stress', 'staleness'],
    errors: ['x'],
  },
};

describe('report schema', () => {
  test('a report using every field of protocol/report.ts validates', () => {
    assert.deepEqual(reportSchemaErrors(JSON.parse(JSON.stringify(full))), []);
  });

  test('missing fields, unknown fields, wrong kinds and NaN (serialised as null) are rejected', () => {
    const bad = (mutate: (r: Record<string, any>) => void, pattern: RegExp) => {
      const r = JSON.parse(JSON.stringify(full));
      mutate(r);
      const errors = reportSchemaErrors(r);
      assert.ok(
        errors.some((e) => pattern.test(e)),
        `expected ${pattern} in ${JSON.stringify(errors)}`,
      );
    };
    bad((r) => delete r.summary, /required property 'summary'/);
    bad((r) => {
      r.gates[0].extra = 1;
    }, /additional properties \(extra\)/);
    bad((r) => {
      r.reportVersion = 1;
    }, /reportVersion/);
    bad((r) => {
      r.gates[0].status = 'skipped';
    }, /status/);
    bad((r) => {
      r.summary.verdict = 'ok';
    }, /verdict/);
    bad((r) => {
      r.suites.staleness.features[0].statistic = Number.NaN;
      r.suites = JSON.parse(JSON.stringify(r.suites));
    }, /statistic: must be number/);
    bad((r) => {
      r.gates[0].suite = 'lint';
    }, /suite/);
    bad((r) => {
      r.createdAt = 'yesterday';
    }, /createdAt: must match format/);
  });
});

describe('report assembly', () => {
  const text = 'apiVersion: modelgate/v1\nkind: Model\nmetadata: {name: m, version: 1.0.0}\nmodel: {artifact: model.onnx, task: classification}\n';
  const loaded: LoadedManifest = {
    path: '/w/m/model.yaml',
    dir: '/w/m',
    manifest: parseManifest(text).value as ModelManifest,
    parsed: parseManifest(text),
    diagnostics: [],
  };

  const all = { run: ['staleness', 'metrics', 'stress'] as const, notRun: [] as const };
  const suites = { run: [...all.run], notRun: [...all.notRun] };
  const ok = { ...full.gates[0]! };
  const st = (status: GateResult['status']) => ({ ...ok, id: status, status, pass: status === 'passed' });

  test('the verdict is passed only when every gate of every suite passed', () => {
    assert.deepEqual(summarize([ok], [], suites), {
      verdict: 'passed',
      passed: true,
      gates: 1,
      failed: 0,
      inconclusive: 0,
      notRun: 0,
      suitesRun: [...all.run],
      suitesNotRun: [],
      errors: [],
    });
    assert.equal(summarize([], [], suites).verdict, 'passed', 'a manifest that declares no gate passes when every suite ran');
  });

  test('a failed gate or a suite error fails; inconclusive, not run or a skipped suite is incomplete; a cancel is cancelled', () => {
    assert.equal(summarize([ok, st('failed'), st('not run')], [], suites).verdict, 'failed');
    assert.equal(summarize([ok], ['metrics suite failed: x'], suites).verdict, 'failed');
    const inc = summarize([ok, st('inconclusive')], [], suites);
    assert.deepEqual([inc.verdict, inc.passed, inc.inconclusive], ['incomplete', false, 1]);
    const nr = summarize([ok, st('not run')], [], suites);
    assert.deepEqual([nr.verdict, nr.notRun], ['incomplete', 1]);
    const skipped = summarize([ok], [], { run: ['metrics'], notRun: ['staleness', 'stress'] });
    assert.deepEqual([skipped.verdict, skipped.suitesNotRun], ['incomplete', ['staleness', 'stress']]);
    assert.equal(summarize([ok, st('failed')], [], suites, true).verdict, 'cancelled');
  });

  test('buildReport fills identity, environment and relative paths, and validates', () => {
    const r = buildReport({
      loaded,
      startedAt: new Date(1000),
      finishedAt: new Date(3500),
      suites: {},
      gates: [full.gates[0]!],
      errors: [],
      complete: true,
      cwd: '/w',
      suitesRun: [...all.run],
      suitesNotRun: [],
    });
    assert.equal(r.model.manifest, 'm/model.yaml');
    assert.equal(r.model.artifact, 'm/model.onnx');
    assert.equal(r.durationMs, 2500);
    assert.equal(r.summary.passed, true);
    assert.equal(r.cancelled, undefined);
    assert.ok(r.environment.cpus >= 1);
    assert.deepEqual(reportSchemaErrors(JSON.parse(JSON.stringify(r))), []);
  });
});
