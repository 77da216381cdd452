// A plain `npm ci` must not run onnxruntime-node's install script (it
// downloads CUDA binaries from NuGet, which fails offline and is not needed
// on CPU), and npm must have nothing to warn about in the project's config.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { allowScripts?: Record<string, boolean> };

test('package.json denies onnxruntime-node its install script and reviews every other one', () => {
  assert.equal(pkg.allowScripts?.['onnxruntime-node'], false);
  assert.ok(!existsSync('.npmrc'), '.npmrc keys unknown to npm are warned about on every npm command; use allowScripts');
});

test('npm finds no unreviewed install script and no unknown project config', () => {
  const res = spawnSync('npm', ['approve-scripts', '--allow-scripts-pending'], { encoding: 'utf8' });
  const out = `${res.stdout}\n${res.stderr}`;
  assert.equal(res.status, 0, out);
  assert.doesNotMatch(out, /Unknown project config/);
  assert.match(out, /No packages with unreviewed install scripts/, out);
});

test('@kubernetes/client-node is optional and no bundle carries it: it loads only when applying to a cluster', () => {
  const all = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string>; optionalDependencies?: Record<string, string> };
  assert.equal(all.dependencies['@kubernetes/client-node'], undefined);
  assert.match(all.optionalDependencies?.['@kubernetes/client-node'] ?? '', /^\^1\./);
  for (const bundle of ['dist/cli.js', 'dist/server.js', 'dist/engine.js', 'dist/extension.js']) {
    const text = readFileSync(bundle, 'utf8');
    // client-node's own sources define these; our loader only names the package
    assert.doesNotMatch(text, /class KubeConfig\b/, `${bundle} bundles @kubernetes/client-node`);
    assert.doesNotMatch(text, /node_modules\/@kubernetes\/client-node\//, `${bundle} bundles @kubernetes/client-node`);
  }
});
