// The language server as an editor sees it: `modelgate lsp --stdio` driven
// by a real JSON-RPC client, on a copy of the broken sample manifest.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, CompletionList, Diagnostic, DocumentSymbol, Hover } from 'vscode-languageserver-protocol';
import { REPO, startLspClient, type LspClient } from './lspClient';

let dir: string;
let client: LspClient;
let uri: string;
let text: string;

before(() => {
  // scripts/test.mjs builds first; a standalone run builds here.
  if (!process.env.MODELGATE_TEST) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, stdio: 'ignore' });
  dir = mkdtempSync(join(tmpdir(), 'mg-lsp-it-'));
  mkdirSync(join(dir, 'broken'));
  // The broken sample points at ../breast-cancer for its model and data.
  symlinkSync(join(REPO, 'samples', 'breast-cancer'), join(dir, 'breast-cancer'));
  text = readFileSync(join(REPO, 'samples', 'broken', 'model.yaml'), 'utf8');
  writeFileSync(join(dir, 'broken', 'model.yaml'), text);
  uri = pathToFileURL(join(dir, 'broken', 'model.yaml')).href;
  client = startLspClient();
});

after(async () => {
  if (client.child.exitCode === null) client.child.kill();
  rmSync(dir, { recursive: true, force: true });
});

const find = (ds: Diagnostic[], code: string): Diagnostic | undefined => ds.find((d) => d.code === code);
const range = (sl: number, sc: number, el: number, ec: number) => ({ start: { line: sl, character: sc }, end: { line: el, character: ec } });

test('a session over stdio: diagnostics, a fix, completion, hover, code action, symbols, exit 0', { timeout: 60_000 }, async () => {
  const init = (await client.initialize({ debounceMs: 20 })) as { capabilities: Record<string, unknown> };
  assert.ok(init.capabilities.completionProvider);

  await client.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  const first = await client.diagnostics(uri, (p) => p.version === 1);
  for (const d of first.diagnostics) assert.equal(d.source, 'modelgate');
  assert.deepEqual(find(first.diagnostics, 'MG102')?.range, range(13, 2, 13, 3), 'duplicate key owner');
  assert.deepEqual(find(first.diagnostics, 'MG110')?.range, range(19, 2, 19, 13), 'unknown key classLables');
  assert.deepEqual(find(first.diagnostics, 'MG305')?.range, range(26, 21, 26, 23), "shape 31 against the model's 30");
  assert.deepEqual(find(first.diagnostics, 'MG205')?.range, range(39, 2, 39, 18), 'label frequencies sum');
  assert.equal((find(first.diagnostics, 'MG110')?.data as { suggestion?: string }).suggestion, 'classLabels');

  // The quick fix for the typo, applied as the editor would: as an incremental edit.
  const typo = find(first.diagnostics, 'MG110')!;
  const fixes = (await client.conn.sendRequest('textDocument/codeAction', {
    textDocument: { uri },
    range: typo.range,
    context: { diagnostics: [typo] },
  })) as CodeAction[];
  const rename = fixes.find((a) => a.title === 'Change to classLabels');
  const edits = rename?.edit?.changes?.[uri];
  assert.deepEqual(edits, [{ range: range(19, 2, 19, 13), newText: 'classLabels' }]);
  await client.conn.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: 2 },
    contentChanges: edits!.map((e) => ({ range: e.range, text: e.newText })),
  });
  const second = await client.diagnostics(uri, (p) => p.version === 2);
  assert.equal(find(second.diagnostics, 'MG110'), undefined, 'the unknown-key diagnostic is gone');
  assert.ok(find(second.diagnostics, 'MG305'), 'the others stay');
  assert.equal(second.diagnostics.length, first.diagnostics.length - 2, 'MG110 and the missing-classLabels MG130 are both fixed');

  const completion = (await client.conn.sendRequest('textDocument/completion', {
    textDocument: { uri },
    position: { line: 24, character: 20 },
  })) as CompletionList;
  assert.deepEqual(
    completion.items.map((i) => i.label),
    ['features'],
    'input names from the ONNX file',
  );

  const hover = (await client.conn.sendRequest('textDocument/hover', {
    textDocument: { uri },
    position: { line: 17, character: 16 },
  })) as Hover;
  const hoverText = (hover.contents as { value: string }).value;
  assert.match(hoverText, /\| input \| `features` \| float32 \| \[batch, 30\] \|/);

  const freq = find(second.diagnostics, 'MG205')!;
  const actions = (await client.conn.sendRequest('textDocument/codeAction', {
    textDocument: { uri },
    range: freq.range,
    context: { diagnostics: [freq] },
  })) as CodeAction[];
  const normalise = actions.find((a) => a.title === 'Normalise label frequencies');
  assert.deepEqual(
    normalise?.edit?.changes?.[uri]?.map((e) => e.newText),
    ['0.417', '0.583'],
  );

  const symbols = (await client.conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri } })) as DocumentSymbol[];
  assert.deepEqual(
    symbols.map((s) => s.name),
    ['apiVersion', 'kind', 'metadata', 'model', 'signature', 'data', 'gates', 'serving', 'slo', 'staleness', 'cost'],
  );

  await client.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  const cleared = await client.diagnostics(uri, (p) => p.diagnostics.length === 0);
  assert.equal(cleared.diagnostics.length, 0, 'closing a document clears its diagnostics');
});

test('settings come from workspace/configuration per document', { timeout: 60_000 }, async () => {
  const other = startLspClient();
  try {
    const asked: unknown[] = [];
    other.conn.onRequest('workspace/configuration', (p: { items: { scopeUri?: string; section?: string }[] }) => {
      asked.push(...p.items);
      return p.items.map(() => ({ semantic: false }));
    });
    await other.conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } } });
    await other.conn.sendNotification('initialized', {});
    await other.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    const d = await other.diagnostics(uri, (p) => p.version === 1);
    assert.deepEqual(asked, [{ scopeUri: uri, section: 'modelgate' }]);
    assert.ok(find(d.diagnostics, 'MG110'), 'schema checks still run');
    const fromDisk = d.diagnostics.filter((x) => /^MG3|^MG20[14]$/.test(String(x.code)));
    assert.deepEqual(fromDisk, [], 'semantic: false skips the checks that read the model and the data');
    assert.equal(await other.stop(), 0);
  } finally {
    if (other.child.exitCode === null) other.child.kill();
  }
});

test('garbage and huge documents get a diagnostic, and the server keeps answering', { timeout: 60_000 }, async () => {
  const garbageUri = pathToFileURL(join(dir, 'garbage', 'model.yaml')).href;
  await client.conn.sendNotification('textDocument/didOpen', {
    textDocument: { uri: garbageUri, languageId: 'yaml', version: 1, text: '\u0000\u0007\u0010garbage\uFFFD'.repeat(1000) },
  });
  const garbage = await client.diagnostics(garbageUri, (p) => p.version === 1);
  assert.deepEqual(
    garbage.diagnostics.map((d) => d.code),
    ['MG101'],
  );

  const hugeUri = pathToFileURL(join(dir, 'huge', 'model.yaml')).href;
  const huge = 'apiVersion: modelgate/v1\nkind: Model\nmetadata:\n' + '  # a very long comment line that pads the file\n'.repeat(220_000);
  await client.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: hugeUri, languageId: 'yaml', version: 1, text: huge } });
  const big = await client.diagnostics(hugeUri, (p) => p.version === 1);
  assert.deepEqual(
    big.diagnostics.map((d) => d.code),
    ['MG112'],
  );
  const none = (await client.conn.sendRequest('textDocument/completion', {
    textDocument: { uri: hugeUri },
    position: { line: 3, character: 2 },
  })) as CompletionList;
  assert.equal(none.items.length, 0);

  // A request for a document the server never saw answers empty instead of failing.
  const unknown = await client.conn.sendRequest('textDocument/hover', {
    textDocument: { uri: 'file:///nowhere/model.yaml' },
    position: { line: 0, character: 0 },
  });
  assert.equal(unknown, null);

  assert.equal(await client.stop(), 0, 'shutdown then exit ends the process with 0');
});
