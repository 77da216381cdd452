// Gates are computed on the data the user gave: a copy of samples/breast-cancer
// whose validation CSV has `n/a` in "mean radius" on 51 of its 54 rows. Lint
// names the cells; `modelgate test --only metrics` fails on the dropped rows
// instead of passing every gate on the 3 rows left. The built CLI, as users run it.
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import type { GateResult, Report } from '../../../server/protocol/report';
import { reportSchemaErrors } from '../../../server/report/validateReport';
import { buildIfStandalone, runCli } from '../../helpers/cli';

const sample = resolve(__dirname, '../../../samples/breast-cancer');
let dir: string;

/** The sample's CSV with `n/a` in `column` on the rows `bad` picks, cut to `rows` rows. */
async function damaged(file: string, column: string, rows: number, bad: (i: number) => boolean): Promise<string> {
  const lines = (await readFile(join(sample, 'data', file), 'utf8')).trim().split('\n');
  const c = lines[0]!.split(',').indexOf(column);
  assert.ok(c >= 0);
  const body = lines.slice(1, rows + 1).map((l, i) => {
    const cells = l.split(',');
    if (bad(i)) cells[c] = 'n/a';
    return cells.join(',');
  });
  assert.equal(body.length, rows);
  return [lines[0], ...body].join('\n') + '\n';
}

before(async () => {
  buildIfStandalone();
  dir = await mkdtemp(join(tmpdir(), 'modelgate-data-integrity-'));
  await mkdir(join(dir, 'data'));
  for (const f of ['model.yaml', 'model.onnx']) await cp(join(sample, f), join(dir, f));
  for (const f of ['train.csv', 'reference.csv']) await cp(join(sample, 'data', f), join(dir, 'data', f));
  // rows 4..54 (file lines 5..55) lose their mean radius
  await writeFile(join(dir, 'data/validation.csv'), await damaged('validation.csv', 'mean radius', 54, (i) => i >= 3));
  // 12 of 114 current rows lose their mean texture
  await writeFile(join(dir, 'data/current.csv'), await damaged('current.csv', 'mean texture', 114, (i) => i % 10 === 0));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run = (args: string[]) => runCli(args, { cwd: dir, env: { NO_COLOR: '1' } });

async function readReport(path: string): Promise<Report> {
  const r = JSON.parse(await readFile(path, 'utf8')) as Report;
  assert.deepEqual(reportSchemaErrors(r), []);
  return r;
}

function byId(r: Report, id: string): GateResult {
  const g = r.gates.find((x) => x.id === id);
  assert.ok(g, `no gate ${id} in ${r.gates.map((x) => x.id).join(', ')}`);
  return g;
}

test('lint reports the cells: exit 1, MG212 at the dataset path with file:line:col and the count', async () => {
  const r = await run(['lint', 'model.yaml']);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const text = await readFile(join(dir, 'model.yaml'), 'utf8');
  const line = text.split('\n').findIndex((l) => l.includes('- path: data/validation.csv')) + 1;
  const mine = r.stdout.split('\n').filter((l) => l.includes('MG212'));
  const validation = mine.find((l) => l.includes('data/validation.csv'));
  assert.ok(validation, r.stdout);
  assert.match(
    validation,
    new RegExp(
      `^model\\.yaml:${line}:\\d+: error MG212 data\\.validation\\[0\\]\\.path "data/validation\\.csv": column "mean radius" is not a number in 51 of 54 rows: data/validation\\.csv:5:1 "n/a" \\(marked missing, not a number\\), data/validation\\.csv:6:1 "n/a", data/validation\\.csv:7:1 "n/a" and 48 more\\.`,
    ),
  );
  assert.match(validation, /metrics\.data\.validation\.droppedShare fails\. To fix: fill in or impute the values/);
  const current = mine.find((l) => l.includes('data/current.csv'));
  assert.match(
    current ?? '',
    /error MG212 data\.current "data\/current\.csv": column "mean texture" is not a number in 12 of 114 rows: data\/current\.csv:2:\d+ "n\/a"/,
  );
});

test('test --only metrics: exit 1, the dropped-rows gate failed naming the rows, metric gates failed on too few rows', async () => {
  const json = join(dir, 'metrics.json');
  const r = await run(['test', 'model.yaml', '--only', 'metrics', '--no-progress', '--json', json]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /✗\s+metrics\.data\.validation\.droppedShare\s+0\.9444\s+≤ 0\.01/);
  assert.match(
    r.stdout,
    /51 of 54 rows dropped: data\/validation\.csv:5 \(also lines 6, 7\) column "mean radius" = "n\/a" \(marked missing, not a number\); and 48 more rows/,
  );
  assert.match(r.stdout, /next: fix or remove the dropped rows of data\/validation\.csv \(first: line 5, column "mean radius"\)/);
  assert.match(r.stdout, /data: metrics validation data\/validation\.csv: 54 rows read, 3 used, 51 dropped/);
  assert.match(r.stdout.trim().split('\n').at(-1)!, /^✗ failed: .*metrics\.data\.validation\.droppedShare \(0\.9444 > 0\.01 by 0\.9344\)/);

  const report = await readReport(json);
  const drop = byId(report, 'metrics.data.validation.droppedShare');
  assert.deepEqual([drop.status, drop.measured, drop.threshold], ['failed', 51 / 54, { op: '<=', value: 0.01 }]);
  assert.match(drop.message, /data\/validation\.csv:5/);
  const accuracy = byId(report, 'metrics.accuracy');
  assert.equal(accuracy.status, 'failed');
  assert.match(accuracy.reason!, /only 3 usable rows of data\/validation\.csv \(51 of 54 rows dropped\), fewer than data\.minRows = 30 \(default\)/);
  assert.equal(byId(report, 'metrics.accuracy@large tumours').status, 'failed');
  assert.ok(
    report.gates.filter((g) => g.suite === 'metrics' && g.id !== 'metrics.skew').every((g) => g.status === 'failed'),
    'no metric gate passes on the 3 rows left',
  );
  assert.equal(report.summary.verdict, 'failed');
  assert.deepEqual(
    report.datasets?.map((d) => [d.suite, d.role, d.path, d.rowsRead, d.rowsUsed, d.rowsDropped]),
    [['metrics', 'validation', 'data/validation.csv', 54, 3, 51]],
  );
  assert.deepEqual(report.datasets![0]!.dropped[0], { line: 5, column: 'mean radius', value: 'n/a', why: 'marked missing, not a number' });
  // the skipped suite lists its data gates under the ids a run gives them
  assert.equal(byId(report, 'staleness.data.current.droppedShare').status, 'not run');
});

test("test --only staleness: the current data's dropped rows fail their gate; the metrics data gate is not run under the same id", async () => {
  const json = join(dir, 'staleness.json');
  const r = await run(['test', 'model.yaml', '--only', 'staleness', '--no-progress', '--json', json]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const report = await readReport(json);
  const current = byId(report, 'staleness.data.current.droppedShare');
  assert.equal(current.status, 'failed');
  assert.equal(current.measured, 12 / 114);
  assert.match(
    current.message,
    /12 of 114 rows dropped: data\/current\.csv:2 \(also lines 12, 22\) column "mean texture" = "n\/a" \(marked missing, not a number\); and 9 more rows/,
  );
  assert.equal(byId(report, 'staleness.data.reference.droppedShare').status, 'passed');
  assert.equal(byId(report, 'metrics.data.validation.droppedShare').status, 'not run');
  const roles = report.datasets?.map((d) => [d.suite, d.role, d.rowsRead, d.rowsDropped]);
  assert.deepEqual(roles, [
    ['staleness', 'reference', 250, 0],
    ['staleness', 'current', 114, 12],
  ]);
});
