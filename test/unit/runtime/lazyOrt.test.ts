// onnxruntime's native library loads when a model is first needed, not when
// the engine (or the language server linting YAML) is imported.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const root = resolve(__dirname, '../../..');

test('importing the engine and linting a manifest without reading its model does not load onnxruntime', () => {
  const script = `
    const onnx = require(${JSON.stringify(join(root, 'server/runtime/onnx.ts'))});
    const { validateManifest } = require(${JSON.stringify(join(root, 'server/manifest/validate.ts'))});
    const { parseManifest } = require(${JSON.stringify(join(root, 'server/manifest/parse.ts'))});
    const before = onnx.onnxRuntimeLoaded();
    const native = () => Object.keys(require.cache).some((k) => k.includes('onnxruntime-node'));
    const text = 'apiVersion: modelgate/v1\\nkind: Model\\nmetadata: {name: m, version: 1.0.0}\\nmodel: {artifact: model.onnx, task: classification, classLabels: [a, b]}\\n';
    Promise.resolve(validateManifest(parseManifest(text), { manifestPath: '/nonexistent/model.yaml', semantic: false })).then(async () => {
      const afterLint = onnx.onnxRuntimeLoaded() || native();
      await onnx.loadModelMetadata(${JSON.stringify(join(root, 'samples/breast-cancer/model.onnx'))});
      console.log(JSON.stringify({ before, afterLint, afterModel: onnx.onnxRuntimeLoaded() && native() }));
    });`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: root, encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out.trim().split('\n').at(-1)!), { before: false, afterLint: false, afterModel: true });
});
