// Bring your own model, as a data scientist does it: `modelgate` installed
// from the clone onto a PATH of its own (npm install -g --prefix), then in a
// temp folder outside the clone holding only a model file and its CSVs:
// `modelgate init model.onnx` → `modelgate lint` → `modelgate test --quick`,
// with no hand edits, for each fixture under test/fixtures/byom. Then a
// published model pulled without its data serves, and tests once the data
// is given with --data.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { buildIfStandalone, repoRoot, type CliResult } from '../../helpers/cli';

const fixtures = join(repoRoot, 'test/fixtures/byom');
let dir: string;
let prefix: string;

before(async () => {
  buildIfStandalone();
  dir = await mkdtemp(join(tmpdir(), 'modelgate-byom-'));
  prefix = join(dir, 'prefix');
  // the documented install for one's own project folder; offline (a link to the clone)
  const npm = spawnSync('npm', ['install', '--global', '--prefix', prefix, repoRoot, '--no-audit', '--no-fund'], { encoding: 'utf8' });
  assert.equal(npm.status, 0, npm.stdout + npm.stderr);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** `modelgate …` found on PATH, as a user types it. */
function modelgate(args: string[], cwd: string): Promise<CliResult & { seconds: number }> {
  const started = performance.now();
  return new Promise((resolveRun, reject) => {
    const child = spawn('modelgate', args, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', PATH: `${join(prefix, 'bin')}${delimiter}${process.env.PATH ?? ''}` },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolveRun({ code, stdout, stderr, seconds: (performance.now() - started) / 1000 }));
  });
}

interface Expect {
  task: string;
  label: string;
  features: Record<string, number | string[]>;
  classLabels?: string[];
  note?: RegExp;
  warnings?: RegExp;
}

const cases: Record<string, Expect> = {
  'two-input': {
    task: 'regression',
    label: 'target',
    features: { numeric: ['x1', 'x2', 'x3'], category: ['category'] },
    note: /split data\.csv \(600 rows\) into train-split\.csv \(480\) and validation-split\.csv \(120\)/,
  },
  wine: {
    task: 'classification',
    label: 'cultivar',
    features: { features: 13 },
    classLabels: ['barbera', 'barolo', 'grignolino'],
    note: /label column: cultivar \(the one column left once the features are counted; the only text column\)/,
  },
  image: { task: 'classification', label: 'shape', features: { image: 432 }, classLabels: ['disc', 'square', 'stripes'] },
  sequence: { task: 'classification', label: 'label', features: { series: 80 }, classLabels: ['0', '1'] },
  'fixed-batch': { task: 'regression', label: 'target', features: { features: 10 }, warnings: /warning MG352 .*chunks of 1/ },
};

/** `modelgate serve …` on a free port; resolves with its URL once it listens, and a stop function. */
function serve(args: string[], cwd: string): Promise<{ url: string; stop: () => Promise<void>; log: () => string }> {
  return new Promise((resolveServe, reject) => {
    const child = spawn('modelgate', ['serve', ...args, '--port', '0'], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', PATH: `${join(prefix, 'bin')}${delimiter}${process.env.PATH ?? ''}` },
    });
    let out = '';
    const onData = (d: Buffer) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m)
        resolveServe({
          url: m[1]!,
          log: () => out,
          stop: () =>
            new Promise((done) => {
              child.once('close', () => done());
              child.kill('SIGTERM');
            }),
        });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => reject(new Error(`serve exited with ${code} before listening:\n${out}`)));
  });
}

for (const [name, want] of Object.entries(cases)) {
  test(`${name}: init → lint → test --quick is green with no hand edits`, async () => {
    const work = join(dir, name);
    await cp(join(fixtures, name), work, { recursive: true });
    const init = await modelgate(['init', 'model.onnx'], work);
    assert.equal(init.code, 0, init.stdout + init.stderr);
    if (want.note) assert.match(init.stdout, want.note);
    assert.match(init.stdout, /measured in [\d.]+ s on \d+ validation rows: .*gates set just below/);
    const text = await readFile(join(work, 'model.yaml'), 'utf8');
    const m = parse(text);
    assert.equal(m.model.task, want.task);
    assert.equal(m.data.labelColumn, want.label);
    if (want.classLabels) assert.deepEqual(m.model.classLabels, want.classLabels);
    for (const [input, f] of Object.entries(want.features)) {
      const got = m.signature.inputs.find((i: { name: string }) => i.name === input)?.features;
      if (typeof f === 'number') assert.equal(got?.length, f, `${input} features`);
      else assert.deepEqual(got, f);
    }
    // every gate is measured and says how its threshold was set
    assert.ok(m.gates.metrics.length >= 2, text);
    assert.doesNotMatch(text, /open wide/);
    for (const line of text.split('\n').filter((l) => /^ {6}(min|max): /.test(l)))
      assert.match(line, /# measured [-\d.e]+ on \d+ validation rows; (min|max) = /);
    assert.match(text, /^ {2}p99Ms: \d+ +# measured p99 /m);
    assert.match(text, /^ {4}maxDriftedShare: 0\.5 /m);
    if (want.classLabels && m.data.labelFrequencies) assert.deepEqual(Object.keys(m.data.labelFrequencies), want.classLabels);

    const lint = await modelgate(['lint', 'model.yaml'], work);
    assert.equal(lint.code, 0, lint.stdout + lint.stderr);
    if (want.warnings) assert.match(lint.stdout, want.warnings);
    else assert.match(lint.stdout, /no problems in 1 manifest/);

    const run = await modelgate(['test', 'model.yaml', '--quick', '--no-progress'], work);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /✓ passed: all \d+ gates passed/);
    process.stdout.write(`# ${name}: init ${init.seconds.toFixed(1)} s, lint ${lint.seconds.toFixed(1)} s, test --quick ${run.seconds.toFixed(1)} s\n`);
  });
}

test('a model pulled without its data serves, names the missing files in test, and tests green with --data', async () => {
  const work = join(dir, 'wine');
  const reg = join(dir, 'registry');
  const pub = await modelgate(['publish', 'model.yaml', '--to', reg, '--force'], work);
  assert.equal(pub.code, 0, pub.stdout + pub.stderr);
  const pulledDir = join(dir, 'pulled');
  const pull = await modelgate(['pull', `${reg}:0.1.0`, pulledDir], dir);
  assert.equal(pull.code, 0, pull.stdout + pull.stderr);

  const server = await serve([pulledDir], dir);
  try {
    const res = await fetch(`${server.url}/v2/models/wine/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        inputs: [{ name: 'features', shape: [1, 13], datatype: 'FP32', data: [13.2, 1.78, 2.14, 11.2, 100, 2.65, 2.76, 0.26, 1.28, 4.38, 1.05, 3.4, 1050] }],
      }),
    });
    assert.equal(res.status, 200, await res.clone().text());
  } finally {
    await server.stop();
  }

  const bare = await modelgate(['test', pulledDir, '--quick', '--no-progress', '--only', 'metrics'], dir);
  assert.equal(bare.code, 3, bare.stdout + bare.stderr); // incomplete: the metric gates did not run
  assert.match(
    bare.stdout,
    /data\.validation\[0\]\.path "validation-split\.csv" is not in .*pulled \(a published model holds its model and manifest, not its data\)\n\s+next: give the file on the command line: modelgate test .*--data validation=<csv>/,
  );

  const data = ['training', 'reference'].map((r) => `${r}=${join(work, 'train-split.csv')}`);
  data.push(...['validation', 'current'].map((r) => `${r}=${join(work, 'validation-split.csv')}`));
  const given = await modelgate(['test', pulledDir, '--quick', '--no-progress', '--data', ...data], dir);
  assert.equal(given.code, 0, given.stdout + given.stderr);
  assert.match(given.stdout, /✓ passed: all \d+ gates passed/);
});

test('a fixed-batch export serves any number of rows, and its metadata says how it is batched', async () => {
  const work = join(dir, 'serve', 'fixed-batch');
  await cp(join(fixtures, 'fixed-batch'), work, { recursive: true });
  const init = await modelgate(['init', 'model.onnx', '--no-measure'], work);
  assert.equal(init.code, 0, init.stdout + init.stderr);
  const server = await serve(['model.yaml'], work);
  try {
    assert.match(server.log(), /fixed batch size of 1: rows run in chunks of 1/);
    const meta = (await (await fetch(`${server.url}/v2/models/fixed-batch`)).json()) as { modelgate: { batching: Record<string, unknown> } };
    assert.equal(meta.modelgate.batching.fixedBatchSize, 1);
    assert.equal(meta.modelgate.batching.maxBatchSize, 1);
    const rows = Array.from({ length: 5 }, (_, r) => Array.from({ length: 10 }, (_, k) => ((r + k) % 7) / 100 - 0.03));
    const res = await fetch(`${server.url}/v2/models/fixed-batch/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: [{ name: 'features', shape: [5, 10], datatype: 'FP32', data: rows.flat() }] }),
    });
    assert.equal(res.status, 200, await res.clone().text());
    const body = (await res.json()) as { outputs: { name: string; shape: number[]; data: number[] }[] };
    assert.deepEqual(body.outputs.find((o) => o.name === 'y')?.shape, [5, 1]);
  } finally {
    await server.stop();
  }
});
