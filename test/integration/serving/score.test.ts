// `modelgate score`: bulk scoring through the serving path, compared with the
// in-process predictor; bad input fails with the file and line.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadManifest } from '../../../server/manifest/load';
import { createPredictor, tableInputs } from '../../../server/manifest/predict';
import { readTable } from '../../../server/manifest/dataset';
import { root, sample } from './helpers';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mg-score-'));
});
after(() => rm(dir, { recursive: true, force: true }));

const cli = (...args: string[]) => spawnSync(process.execPath, [resolve(root, 'bin/modelgate.js'), ...args], { cwd: root, encoding: 'utf8' });

test('score writes a row id, the label and one probability per class for every row, as in-process prediction does', async () => {
  const input = resolve(root, 'samples/digits/data/validation.csv');
  const output = join(dir, 'digits.csv');
  const r = cli('score', 'samples/digits/model.yaml', '--input', input, '--output', output, '--batch-size', '50');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /scored 359 rows with digits 1\.0\.0/);
  const lines = (await readFile(output, 'utf8')).trim().split('\n');
  assert.equal(lines[0], ['row', 'label', ...Array.from({ length: 10 }, (_, i) => `p_${i}`)].join(','));
  assert.equal(lines.length, 360);

  const loaded = await loadManifest(sample('digits'));
  const p = await createPredictor(loaded);
  const table = await readTable(input);
  const pred = await p.predictInputs(tableInputs(p.plan, table), table.rows.length);
  await p.close();
  lines.slice(1).forEach((line, i) => {
    const cells = line.split(',');
    assert.equal(cells[0], String(i + 1));
    assert.equal(cells[1], pred.labels![i]);
    for (let c = 0; c < 10; c++) assert.ok(Math.abs(Number(cells[2 + c]) - pred.probabilities![i * 10 + c]!) < 1e-5);
  });
});

test('score keeps an id column and writes prediction for regression', async () => {
  const src = (await readFile(resolve(root, 'samples/diabetes/data/validation.csv'), 'utf8')).trim().split('\n');
  const input = join(dir, 'diabetes-in.csv');
  await writeFile(input, [`id,${src[0]}`, ...src.slice(1, 6).map((l, i) => `p${i},${l}`)].join('\n') + '\n');
  const output = join(dir, 'diabetes-out.csv');
  const r = cli('score', 'samples/diabetes', '--input', input, '--output', output);
  assert.equal(r.status, 0, r.stderr);
  const lines = (await readFile(output, 'utf8')).trim().split('\n');
  assert.equal(lines[0], 'id,prediction');
  assert.deepEqual(
    lines.slice(1).map((l) => l.split(',')[0]),
    ['p0', 'p1', 'p2', 'p3', 'p4'],
  );
  for (const l of lines.slice(1)) assert.ok(Number.isFinite(Number(l.split(',')[1])));
});

test('a non-numeric cell fails with the file and line; a missing column names it', async () => {
  const src = (await readFile(resolve(root, 'samples/diabetes/data/validation.csv'), 'utf8')).trim().split('\n');
  const bad = join(dir, 'bad.csv');
  await writeFile(bad, [src[0], src[1], src[2]!.replace(/^[^,]+/, 'old')].join('\n') + '\n');
  const r = cli('score', 'samples/diabetes', '--input', bad, '--output', join(dir, 'x.csv'));
  assert.equal(r.status, 2);
  assert.match(r.stderr, /bad\.csv:3: column "age" is "old", not a number/);
  const missing = join(dir, 'missing.csv');
  await writeFile(missing, 'age,sex\n1,2\n');
  const m = cli('score', 'samples/diabetes', '--input', missing, '--output', join(dir, 'y.csv'));
  assert.equal(m.status, 2);
  assert.match(m.stderr, /lacks the model's feature column\(s\): bmi, bp/);
});
