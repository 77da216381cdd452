// Scoring is one engine function: `modelgate score`, the engine's scoreCsv
// and the language server's modelgate/score (what the editor's "Score a CSV
// file" sends) write byte-identical predictions for the same file; rows the
// model cannot score fail with file and line, or are left out and counted;
// a cancelled request leaves no output behind.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CancellationTokenSource, LSPErrorCodes, WorkDoneProgress } from 'vscode-languageserver-protocol/node';
import { scoreCsv, ScoreError } from '../../../server/pipeline';
import { ScoreRequest } from '../../../server/protocol/lsp';
import { buildIfStandalone, runCli } from '../../helpers/cli';
import { REPO, startLspClient, type LspClient } from '../lsp/lspClient';

let client: LspClient;
let dir: string;
let manifest: string;
let validation: string;

before(async () => {
  buildIfStandalone();
  dir = await mkdtemp(join(tmpdir(), 'mg-score-doors-'));
  // a copy: the request's default output lands next to the validation data
  await cp(join(REPO, 'samples', 'breast-cancer'), join(dir, 'breast-cancer'), { recursive: true, filter: (src) => !src.endsWith('.py') });
  manifest = join(dir, 'breast-cancer', 'model.yaml');
  validation = join(dir, 'breast-cancer', 'data', 'validation.csv');
  client = startLspClient([join(REPO, 'dist', 'server.js'), '--stdio']);
  await client.initialize();
});
after(async () => {
  await client?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The validation CSV with the first cell of the given data rows (1-based) replaced. */
async function withBadCells(rows: number[], name: string): Promise<string> {
  const lines = (await readFile(validation, 'utf8')).trim().split('\n');
  for (const r of rows) lines[r] = lines[r]!.replace(/^[^,]*/, 'n/a');
  const path = join(dir, name);
  await writeFile(path, lines.join('\n') + '\n');
  return path;
}

test('the CLI, the engine and the language server write the same bytes for the breast-cancer validation data', async () => {
  const viaCli = join(dir, 'cli.csv');
  const cli = await runCli(['score', manifest, '--input', validation, '--output', viaCli, '--batch-size', '32', '--no-progress']);
  assert.equal(cli.code, 0, cli.stderr);
  assert.match(cli.stderr, /scored 114 rows with breast-cancer 1\.0\.0 in [\d.]+ s/);

  const viaEngine = join(dir, 'engine.csv');
  const progress: number[] = [];
  const engine = await scoreCsv(manifest, { input: validation, output: viaEngine, batchSize: 32, onProgress: (p) => progress.push(p.rows) });
  assert.equal(engine.rows, 114);
  assert.deepEqual(engine.skipped, { count: 0, first: [] });
  assert.deepEqual(progress, [32, 64, 96, 114], 'one progress event per batch written');

  // no input and no output: the manifest's validation data, predictions next to it
  const kinds: string[] = [];
  client.conn.onProgress(WorkDoneProgress.type, 'score-1', (v) => {
    kinds.push(v.kind);
  });
  const viaLsp = await client.conn.sendRequest(ScoreRequest.type, { manifest, batchSize: 32, workDoneToken: 'score-1' });
  assert.equal(viaLsp.input, validation);
  assert.equal(viaLsp.output, join(dir, 'breast-cancer', 'data', 'validation.scored.csv'));
  assert.equal(viaLsp.rows, 114);
  assert.deepEqual(viaLsp.model, { name: 'breast-cancer', version: '1.0.0' });
  assert.equal(kinds[0], 'begin');
  assert.equal(kinds.at(-1), 'end');

  const [a, b, c] = await Promise.all([viaCli, viaEngine, viaLsp.output].map((p) => readFile(p)));
  assert.ok(a!.equals(b!), 'the CLI and the engine wrote different bytes');
  assert.ok(a!.equals(c!), 'the CLI and the language server wrote different bytes');
  const lines = a!.toString('utf8').trim().split('\n');
  assert.deepEqual(lines[0]!.split(','), engine.columns);
  assert.deepEqual(engine.columns, viaLsp.columns);
  assert.equal(lines[0], 'row,label,p_malignant,p_benign');
  assert.equal(lines.length, 115);
  assert.match(lines[1]!, /^1,(malignant|benign),[\d.e-]+,[\d.e-]+$/);
});

test('a row the model cannot score fails with file and line; skipInvalid leaves it out, counts it and keeps the row numbers', async () => {
  const bad = await withBadCells([3, 10], 'bad.csv');
  const out = join(dir, 'bad.scored.csv');
  await assert.rejects(
    scoreCsv(manifest, { input: bad, output: out }),
    (err: Error) => err instanceof ScoreError && err.code === 'MG212' && err.message.startsWith(`${bad}:4: column "mean radius" is "n/a", not a number`),
  );
  assert.equal(existsSync(out), false, 'a failed run left an output file');

  const r = await scoreCsv(manifest, { input: bad, output: out, skipInvalid: true });
  assert.equal(r.rows, 112);
  assert.equal(r.skipped.count, 2);
  assert.deepEqual(
    r.skipped.first.map((s) => s.line),
    [4, 11],
  );
  assert.match(r.skipped.first[0]!.reason, /column "mean radius" is "n\/a", not a number/);
  const ids = (await readFile(out, 'utf8'))
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',')[0]);
  assert.equal(ids.length, 112);
  assert.deepEqual(ids.slice(0, 4), ['1', '2', '4', '5'], 'row 3 of the data is left out, the others keep their numbers');

  const cli = await runCli(['score', manifest, '--input', bad, '--output', join(dir, 'bad-cli.csv'), '--skip-invalid', '--no-progress']);
  assert.equal(cli.code, 0, cli.stderr);
  assert.match(cli.stderr, /scored 112 rows/);
  assert.match(cli.stderr, /left out 2 row\(s\) the model cannot score/);
  assert.ok(cli.stderr.includes(`${bad}:11: column "mean radius"`), cli.stderr);
  assert.ok((await readFile(out)).equals(await readFile(join(dir, 'bad-cli.csv'))));

  // through the language server: a ModelGate error with its code, for the editor to offer "skip those rows"
  await assert.rejects(
    client.conn.sendRequest(ScoreRequest.type, { manifest, input: bad, output: join(dir, 'bad-lsp.csv') }),
    (err: Error & { code?: number; data?: { code?: string; exitCode?: number } }) =>
      err.code === LSPErrorCodes.RequestFailed && err.data?.code === 'MG212' && err.data.exitCode === 2 && err.message.includes(`${bad}:4:`),
  );
  const skipped = await client.conn.sendRequest(ScoreRequest.type, { manifest, input: bad, output: join(dir, 'bad-lsp.csv'), skipInvalid: true });
  assert.equal(skipped.skipped.count, 2);
  assert.ok((await readFile(out)).equals(await readFile(join(dir, 'bad-lsp.csv'))));
});

test('a missing input or a missing feature column says which file and which columns', async () => {
  await assert.rejects(
    scoreCsv(manifest, { input: join(dir, 'nope.csv'), output: join(dir, 'x.csv') }),
    (err: Error) => err instanceof ScoreError && err.code === 'MG201' && err.message.includes('nope.csv: the file does not exist'),
  );
  const narrow = join(dir, 'narrow.csv');
  await writeFile(narrow, 'mean radius,mean texture\n1,2\n');
  await assert.rejects(
    client.conn.sendRequest(ScoreRequest.type, { manifest, input: narrow, output: join(dir, 'y.csv') }),
    (err: Error & { data?: { code?: string } }) =>
      err.data?.code === 'MG204' && /lacks the model's feature column\(s\): mean perimeter, mean area/.test(err.message),
  );
});

test('cancelling the request stops scoring and leaves no output file', async () => {
  // a long file, so the run is still going when the cancel arrives
  const lines = (await readFile(validation, 'utf8')).trim().split('\n');
  const long = join(dir, 'long.csv');
  await writeFile(long, [lines[0], ...Array.from({ length: 200 }, () => lines.slice(1)).flat()].join('\n') + '\n');
  const out = join(dir, 'long.scored.csv');
  const source = new CancellationTokenSource();
  // cancel once rows have been written, not on a timer
  const reported: string[] = [];
  client.conn.onProgress(WorkDoneProgress.type, 'score-cancel', (v) => {
    if (v.kind !== 'report') return;
    reported.push(v.message ?? '');
    source.cancel();
  });
  await assert.rejects(
    client.conn.sendRequest(ScoreRequest.type, { manifest, input: long, output: out, batchSize: 16, workDoneToken: 'score-cancel' }, source.token),
    (err: { code?: number }) => err.code === LSPErrorCodes.RequestCancelled,
  );
  assert.match(reported[0] ?? '', /^\d+ rows scored$/, 'no progress arrived before the cancel');
  assert.equal(existsSync(out), false, 'a cancelled run left an output file');
});
