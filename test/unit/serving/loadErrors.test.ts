// A manifest serving cannot use fails with one ModelGateError: its code is
// the first problem's, as lint gives it, and it lists every problem, so the
// editor gets a code it can act on instead of an internal error.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ErrorCodes, LSPErrorCodes } from 'vscode-languageserver';
import { ManifestError } from '../../../server/manifest/load';
import { ModelGateError, errorData } from '../../../server/protocol/errors';
import { toResponseError } from '../../../server/lsp/engine/registerEngineRequests';
import { loadServable } from '../../../server/serving/loadServable';
import { ServingMetrics } from '../../../server/serving/metrics';

let tmp: string;
const opts = () => ({ metrics: new ServingMetrics({ defaultMetrics: false }), maxInstancesPerRequest: 100 });

before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'mg-load-errors-'));
  await cp(resolve('samples/digits'), tmp, { recursive: true });
});
after(() => rm(tmp, { recursive: true, force: true }));

test('steps that do not fit the input fail loading with the first code and every problem', async () => {
  const yaml = (await readFile(join(tmp, 'model.yaml'), 'utf8')).replace('    max: 16', '    max: [1, 2]').replace('shape: [1, 8, 8]', 'shape: [1, 8, 7]');
  await writeFile(join(tmp, 'model.yaml'), yaml);
  const err = await loadServable(tmp, opts()).then(
    () => assert.fail('a manifest whose steps do not fit was served'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ManifestError && err instanceof ModelGateError, String(err));
  const problems = err.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.path.join('.')}`);
  assert.deepEqual(problems.sort(), ['MG307 preprocessing.1.shape', 'MG308 preprocessing.0.max']);
  assert.ok(['MG307', 'MG308'].includes(err.code), err.code);
  assert.equal(err.code, err.diagnostics.find((d) => d.severity === 'error')!.code);
  assert.match(err.message, /MG307 .*preprocessing\[1\]\.shape/);
  assert.match(err.message, /MG308 .*preprocessing\[0\]\.max has 2 values/);
  assert.equal(errorData(err)?.code, err.code);
  const response = toResponseError(err);
  assert.equal(response.code, LSPErrorCodes.RequestFailed, 'a manifest problem is not an internal error');
  assert.equal(response.data?.code, err.code);
});

test('a missing manifest fails with MG113 and says how to create one', async () => {
  const err = await loadServable(join(tmp, 'nowhere', 'model.yaml'), opts()).then(
    () => assert.fail('a missing manifest was served'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ManifestError, String(err));
  assert.equal(err.code, 'MG113');
  assert.match(err.message, /does not exist \(create one with `modelgate init model\.onnx`\)/);
  assert.notEqual(toResponseError(err).code, ErrorCodes.InternalError);
});
