import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SymbolKind } from 'vscode-languageserver-types';
import { SAMPLES, setupService } from './serviceSetup';

const s = setupService();
after(() => s.cleanup());
const sample = readFileSync(join(SAMPLES, 'breast-cancer', 'model.yaml'), 'utf8');

test('document symbols: sections as a tree, inputs and outputs named', () => {
  const symbols = s.service.symbols(s.doc(sample).doc);
  assert.deepEqual(
    symbols.slice(0, 6).map((x) => x.name),
    ['apiVersion', 'kind', 'metadata', 'model', 'signature', 'preprocessing'],
  );
  const signature = symbols.find((x) => x.name === 'signature')!;
  assert.equal(signature.kind, SymbolKind.Module);
  const inputs = signature.children!.find((x) => x.name === 'inputs')!;
  assert.deepEqual(
    inputs.children!.map((x) => [x.name, x.kind, x.detail]),
    [['features', SymbolKind.Variable, 'float32 [batch, 30]']],
  );
  const outputs = signature.children!.find((x) => x.name === 'outputs')!;
  assert.equal(outputs.children![0]!.name, 'probabilities');
  const gates = symbols.find((x) => x.name === 'gates')!.children!.find((x) => x.name === 'metrics')!;
  assert.equal(gates.children![0]!.name, 'accuracy');
  const model = symbols.find((x) => x.name === 'model')!;
  assert.equal(
    model.range.start.line,
    sample.split('\n').findIndex((l) => l === 'model:'),
  );
});

test('document links: existing artifact and dataset files, resolved next to the manifest', async () => {
  const text = sample
    .replace('reference: data/reference.csv', 'reference: data/missing.csv')
    .replace('current: data/current.csv', 'current: "data/current.csv"');
  const f = s.doc(text);
  const links = await s.service.links(f.doc);
  const targets = links.map((l) => l.target);
  const dir = join(SAMPLES, 'breast-cancer');
  assert.ok(targets.includes(pathToFileURL(join(dir, 'model.onnx')).href));
  assert.ok(targets.includes(pathToFileURL(join(dir, 'data', 'train.csv')).href));
  assert.ok(!targets.some((t) => t?.includes('missing.csv')), 'a missing file gets no link');
  const current = links.find((l) => l.target?.endsWith('current.csv'))!;
  const line = text.split('\n')[current.range.start.line]!;
  assert.equal(line.slice(current.range.start.character, current.range.end.character), 'data/current.csv', 'the link covers the path, not its quotes');
});
