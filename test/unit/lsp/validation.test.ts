import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { recogniseManifest } from '../../../server/lsp/recognise';
import { settings, setupService } from './serviceSetup';

const s = setupService();
after(() => s.cleanup());

const validate = (text: string, name = 'model.yaml') => s.service.validate(s.doc(text, { name }).doc, settings);

test('manifests are recognised by content; the file name is only a hint', () => {
  assert.equal(recogniseManifest('file:///a/anything.yaml', 'apiVersion: modelgate/v1\nkind: Model\n'), 'manifest');
  assert.equal(recogniseManifest('file:///a/model.yaml', 'apiVersion: apps/v1\nkind: Deployment\n'), 'other');
  assert.equal(recogniseManifest('file:///a/model.yaml', 'metadata:\n  name: x\n'), 'candidate');
  assert.equal(recogniseManifest('file:///a/prod.model.yaml', ''), 'candidate');
  assert.equal(recogniseManifest('file:///a/ci.yaml', 'kind: Model\nsteps: []\n'), 'other');
  assert.equal(recogniseManifest('file:///a/model.yaml', 'kind: Workflow\n'), 'other');
});

test('other YAML gets no diagnostics, even broken or named model.yaml', async () => {
  assert.deepEqual(await validate('apiVersion: apps/v1\nkind: Deployment\nspec: [unclosed\n'), []);
  assert.deepEqual(await validate('key: : : broken', 'values.yaml'), []);
});

test('a model.yaml without apiVersion gets one information diagnostic', async () => {
  const d = await validate('metadata:\n  name: x\nmodel: {artifact: [}\n');
  assert.equal(d.length, 1);
  assert.equal(d[0]!.severity, DiagnosticSeverity.Information);
  assert.equal(d[0]!.code, 'MG104');
  assert.match(String(d[0]!.message), /apiVersion: modelgate\/v1/);
});

test("manifests get the validator's diagnostics with source, code and range", async () => {
  const d = await validate('apiVersion: modelgate/v1\nkind: Model\nmetadata:\n  name: x\n  name: y\n');
  const dup = d.find((x) => x.code === 'MG102');
  assert.ok(dup, JSON.stringify(d));
  assert.equal(dup.source, 'modelgate');
  assert.equal(dup.range.start.line, 4);
  assert.deepEqual((dup.data as { path: unknown }).path, []);
});

test('a 10 MB manifest or binary garbage gives one diagnostic and no parse', async () => {
  const big = 'apiVersion: modelgate/v1\nkind: Model\n' + '# padding\n'.repeat(1_100_000);
  const d = await validate(big);
  assert.equal(d.length, 1);
  assert.equal(d[0]!.code, 'MG112');
  const bin = await validate('\u0000\u0001\u0002ELF\u0000garbage\uFFFD\uFFFD');
  assert.equal(bin.length, 1);
  assert.equal(bin[0]!.code, 'MG101');
  assert.match(String(bin[0]!.message), /binary/);
});

test('maxProblems caps what is published', async () => {
  const text = 'apiVersion: modelgate/v1\nkind: Model\n' + Array.from({ length: 30 }, (_, i) => `x${i}: 1\n`).join('');
  const d = await s.service.validate(s.doc(text).doc, { ...settings, maxProblems: 5 });
  assert.equal(d.length, 5);
});
