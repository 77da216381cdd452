// `modelgate lint` and `modelgate init` as users run them: the built CLI in a
// child process, on the committed samples and on copies in a temp dir.
import assert from 'node:assert/strict';
import { buildIfStandalone, runCli, type CliResult } from '../../helpers/cli';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';

const root = resolve(__dirname, '../../..');
let dir: string;

before(async () => {
  buildIfStandalone();
  dir = await mkdtemp(join(tmpdir(), 'modelgate-lint-test-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function run(args: string[], cwd = root): Promise<CliResult> {
  return runCli(args, { cwd, env: { NO_COLOR: '1' } });
}

test('the good samples lint with exit 0', async () => {
  for (const s of ['breast-cancer', 'digits', 'diabetes']) {
    const r = await run(['lint', `samples/${s}/model.yaml`]);
    assert.equal(r.code, 0, `${s}:\n${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /no problems in 1 manifest\n$/);
  }
});

test('the broken sample exits 1 with problem-matcher lines and a summary', async () => {
  const r = await run(['lint', 'samples/broken/model.yaml']);
  assert.equal(r.code, 1, r.stderr);
  const lines = r.stdout.trim().split('\n');
  const problems = lines.slice(0, -1);
  assert.ok(problems.length >= 13, r.stdout);
  for (const l of problems) assert.match(l, /^samples\/broken\/model\.yaml:\d+:\d+: (error|warning|info) MG\d{3} \S/);
  assert.ok(
    problems.some((l) => l.startsWith('samples/broken/model.yaml:9:12: error MG109 metadata.version "1.2" is not a semantic version')),
    r.stdout,
  );
  assert.match(lines.at(-1)!, /^\d+ errors, \d+ warnings? in 1 of 1 manifest$/);
  assert.ok(!r.stdout.includes('\u001b['), 'no colour when not on a terminal');
});

test('a directory lints every manifest under it, skipping node_modules and dot directories', async () => {
  const tree = join(dir, 'tree');
  const m = (name: string) => `apiVersion: modelgate/v1\nkind: Model\nmetadata: {name: ${name}, version: 1.0.0}\nmodel: {artifact: m.onnx, task: regression}\n`;
  await mkdir(join(tree, 'a'), { recursive: true });
  await mkdir(join(tree, 'node_modules/x'), { recursive: true });
  await mkdir(join(tree, '.hidden'), { recursive: true });
  await writeFile(join(tree, 'a/model.yaml'), m('a'));
  await writeFile(join(tree, 'b.model.yaml'), m('B_bad'));
  await writeFile(join(tree, 'node_modules/x/model.yaml'), 'not: [valid');
  await writeFile(join(tree, '.hidden/model.yaml'), 'not: [valid');
  await writeFile(join(tree, 'other.yaml'), 'not: [valid');
  const r = await run(['lint', '--no-semantic', tree]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /b\.model\.yaml:3:\d+: error MG109/);
  assert.match(r.stdout, /1 error in 1 of 2 manifests\n$/);
  assert.doesNotMatch(r.stdout, /node_modules|hidden|other\.yaml/);
});

test('a missing file exits 2 and says which', async () => {
  const r = await run(['lint', 'samples/no-such/model.yaml']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /samples\/no-such\/model\.yaml: no such file or directory/);
  const usage = await run(['lint', 'samples/digits', '--format', 'xml']);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /--format xml: use text or json/);
});

test('--format json is versioned and parses, with 1-based positions', async () => {
  const r = await run(['lint', '--format', 'json', 'samples/broken/model.yaml', 'samples/digits/model.yaml']);
  assert.equal(r.code, 1);
  const body = JSON.parse(r.stdout) as {
    version: number;
    files: Array<{ path: string; diagnostics: Array<Record<string, unknown>> }>;
    summary: Record<string, number>;
  };
  assert.equal(body.version, 1);
  assert.deepEqual(
    body.files.map((f) => f.path),
    ['samples/broken/model.yaml', 'samples/digits/model.yaml'],
  );
  const v = body.files[0]!.diagnostics.find((d) => d.code === 'MG109' && d.line === 9);
  assert.deepEqual(Object.keys(v!).sort(), ['code', 'column', 'endColumn', 'endLine', 'line', 'message', 'severity']);
  assert.equal(v!.column, 12);
  assert.equal(body.files[1]!.diagnostics.length, 0);
  assert.ok(body.summary.errors! >= 12 && body.summary.warnings! >= 1);
});

test('init writes a starter for a copied sample model that lints with exit 0, and refuses to overwrite', async () => {
  const proj = join(dir, 'Breast Cancer');
  await cp(join(root, 'samples/breast-cancer'), proj, { recursive: true });
  await rm(join(proj, 'model.yaml'));
  const r = await run(['init', join(proj, 'model.onnx'), '--no-measure'], dir);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /lints clean/);
  const text = await readFile(join(proj, 'model.yaml'), 'utf8');
  assert.match(text, /^ {2}name: breast-cancer\b/m);
  assert.match(text, /^ {2}task: classification\b/m);
  assert.match(text, /features: \[mean radius, mean texture/);
  const lint = await run(['lint', join(proj, 'model.yaml')], dir);
  assert.equal(lint.code, 0, lint.stdout + lint.stderr);
  assert.match(lint.stdout, /no problems in 1 manifest/);

  const again = await run(['init', join(proj, 'model.onnx')], dir);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /already exists: .*--force/);
  assert.equal(await readFile(join(proj, 'model.yaml'), 'utf8'), text, 'the manifest is untouched');
  const forced = await run(['init', join(proj, 'model.onnx'), '--force', '--no-measure', '--output', join(proj, 'other.model.yaml')], dir);
  assert.equal(forced.code, 0, forced.stderr);
});

test('init on something that is not an ONNX model exits 2 with the reason', async () => {
  const bad = join(dir, 'bad.onnx');
  await writeFile(bad, 'not a model');
  const r = await run(['init', bad, '--output', join(dir, 'bad.yaml')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /not an ONNX model: .*bad\.onnx is a text file, starting "not a model"; point model\.artifact at the \.onnx file/);
});

test('init on a pickle and on a Git LFS pointer names what the file is and the one fix, once', async () => {
  const fixtures = join(__dirname, '../../fixtures/not-onnx');
  const pickle = await run(['init', join(fixtures, 'model.pkl'), '--output', join(dir, 'pkl.yaml')]);
  assert.equal(pickle.code, 2);
  assert.match(pickle.stderr, /model\.pkl is a Python pickle .*; convert the model with skl2onnx/);
  const lfs = await run(['init', join(fixtures, 'lfs-pointer.onnx'), '--output', join(dir, 'lfs.yaml')]);
  assert.equal(lfs.code, 2);
  assert.match(
    lfs.stderr,
    /lfs-pointer\.onnx is a Git LFS pointer \(129 bytes, object 4d7a214614ab…\), not the model: .*run `git lfs install && git lfs pull`/,
  );
  for (const r of [pickle, lfs]) assert.equal(r.stderr.match(/torch\.onnx\.export|git lfs pull/g)?.length ?? 0, r === lfs ? 1 : 1, 'the fix is stated once');
});

test('lint on a fixed-batch export (torch.onnx.export without dynamic_axes) warns with the batch size, how it is served and the re-export', async () => {
  const r = await run(['lint', join(__dirname, '../../fixtures/fixed-batch/model.yaml')]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(
    r.stdout + r.stderr,
    /model\.yaml:16:7: warning MG352 the model's input "features" has a fixed batch size of 1 \(shape \[1, 13\]\): .*running rows in chunks of 1, .*export it again with torch\.onnx\.export\(\.\.\., dynamic_axes=\{'features': \{0: 'batch'\}\}\)/,
  );
});
