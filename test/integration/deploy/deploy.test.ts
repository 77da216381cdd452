// `modelgate deploy` as users run it: the built CLI in a child process,
// against Debian's docker-registry on loopback and an OCI layout, checked
// independently with skopeo. Stress runs use --quick --duration 1s; the
// `npm start` test runs the script's own command.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { buildIfStandalone, runCli, type CliResult } from '../../helpers/cli';
import { requireTool, skopeo, skopeoRaw, startRegistry, type RunningRegistry } from '../../helpers/registry';
import { checkModelPackManifest } from '../../../server/publish/modelPack';

const root = resolve(__dirname, '../../..');
const bin = join(root, 'bin/modelgate.js');
const haveTools = requireTool('docker-registry') && requireTool('skopeo');
const QUICK = ['--quick', '--duration', '1s', '--no-progress'];
let reg: RunningRegistry;
let work: string;

before(async () => {
  buildIfStandalone();
  work = await mkdtemp(join(tmpdir(), 'mg-deploy-it-'));
  if (haveTools) reg = await startRegistry();
});
after(async () => {
  await reg?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

const run = (args: string[], cwd = work): Promise<CliResult> => runCli(args, { cwd, env: { NO_COLOR: '1' } });

const show = (r: CliResult) => `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

async function tags(repo: string): Promise<string[]> {
  try {
    return (JSON.parse(await skopeo(['list-tags', '--tls-verify=false', `docker://${reg.host}/${repo}`])).Tags as string[] | null) ?? [];
  } catch (err) {
    if (/name unknown|NAME_UNKNOWN|repository name not known|status code from registry 404/i.test((err as Error).message)) return [];
    throw err;
  }
}

async function inspect(repo: string, tag: string): Promise<{ annotations: Record<string, string>; layers: { annotations: Record<string, string> }[] }> {
  return JSON.parse((await skopeoRaw(['inspect', '--raw', '--tls-verify=false', `docker://${reg.host}/${repo}:${tag}`])).toString('utf8'));
}

/** The sample in a project of its own, with metadata.version bumped; model and data copied along so the paths still resolve. */
async function bumpedSample(version: string): Promise<string> {
  const { manifest: yamlPath } = await projectSample(`bumped-${version}`);
  const text = await readFile(yamlPath, 'utf8');
  // The next version adds the rule the sample leaves for it: no worse than the version before.
  const next = text
    .replace(/^( {2}version: )1\.0\.0$/m, `$1${version}`)
    .replace(/^ {2}skewTolerance:/m, '  maxRegression: [{metric: accuracy, maxAbsoluteDrop: 0.01, maxRelativeDrop: 0.02}]\n  skewTolerance:');
  assert.match(next, /maxRegression/, 'the sample manifest changed: put the rule elsewhere');
  await writeFile(yamlPath, next);
  return yamlPath;
}

/**
 * A sample in a project of its own (a package.json marks the root), so the
 * reports and layouts a deploy writes by default land there, not in this
 * repository's .modelgate where a later run would find them.
 */
async function projectSample(label: string, samples = ['breast-cancer']): Promise<{ dir: string; manifest: string }> {
  const dir = await mkdtemp(join(work, `${label}-`));
  // the first sample's manifest; the others are what it points into (../breast-cancer/…)
  for (const sample of samples)
    await cp(join(root, 'samples', sample), join(dir, 'samples', sample), { recursive: true, filter: (src) => !src.endsWith('.py') });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: label, private: true }));
  return { dir, manifest: join(dir, 'samples', samples[0]!, 'model.yaml') };
}

test('a sample that passes every gate is published to a real registry, annotated gated, and stdout names it by digest', async (t) => {
  if (!haveTools) return t.skip('docker-registry or skopeo not installed');
  const project = await projectSample('registry');
  const r = await run(['deploy', 'samples/breast-cancer/model.yaml', '--to', reg.ref('ml/breast-cancer'), ...QUICK], project.dir);
  assert.equal(r.code, 0, show(r));
  assert.match(r.stdout, /✓ passed: all \d+ gates passed/);
  const ref = r.stdout.trim().split('\n').at(-1)!;
  assert.match(ref, new RegExp(`^oci://${reg.host}/ml/breast-cancer:1\\.0\\.0@sha256:[a-f0-9]{64}$`));
  assert.match(r.stderr, /report: \.modelgate\/reports\/breast-cancer-1\.0\.0\.html/);
  assert.match(r.stderr, /no earlier version/i, 'the first version has no champion');
  const m = await inspect('ml/breast-cancer', '1.0.0');
  assert.equal(m.annotations['dev.modelgate.gated'], 'true');
  assert.deepEqual(m.layers.map((l) => l.annotations['org.opencontainers.image.title']).sort(), [
    'breast-cancer-1.0.0.html',
    'breast-cancer-1.0.0.json',
    'model.onnx',
    'model.yaml',
  ]);

  // what the KServe storage initializer runs: modelgate pull --layout triton modelgate://…@digest /mnt/models
  const digest = ref.slice(ref.indexOf('@') + 1);
  const mnt = join(work, 'mnt-models');
  const p = await run(['pull', '--layout', 'triton', `modelgate://${reg.host}/ml/breast-cancer@${digest}`, mnt]);
  assert.equal(p.code, 0, show(p));
  assert.deepEqual(await readFile(join(mnt, 'breast-cancer/1/model.onnx')), await readFile(join(root, 'samples/breast-cancer/model.onnx')));
});

test('--kubernetes is refused before any test when the target is a local layout, or when no Kubernetes client is installed', async () => {
  const manifest = join(root, 'samples/breast-cancer/model.yaml');
  const layout = await run(['deploy', manifest, '--kubernetes', '--dry-run', '--to', join(work, 'k8s-layout'), '--no-progress']);
  assert.equal(layout.code, 2, show(layout));
  assert.match(layout.stderr, /needs a registry the cluster can pull from, but the target is the local layout .*pass --to oci:\/\/HOST\/REPO/);
  let hasClient = true;
  try {
    require.resolve('@kubernetes/client-node', { paths: [root] });
  } catch {
    hasClient = false;
  }
  if (!hasClient) {
    const apply = await run(['deploy', manifest, '--kubernetes', '--to', 'oci://127.0.0.1:9/ml/none', '--no-progress']);
    assert.equal(apply.code, 2, show(apply));
    assert.match(apply.stderr, /needs the @kubernetes\/client-node package, which is not installed.*--dry-run/);
    assert.doesNotMatch(apply.stderr + apply.stdout, /gates passed|\[stress\]/, 'nothing was tested');
  }
});

test('v2 after v1 in the same target is compared with v1 (champion/challenger); --dry-run --kubernetes prints the InferenceService for the published digest', async (t) => {
  if (!haveTools) return t.skip('docker-registry or skopeo not installed');
  // its own repository, with its own v1 as the champion (not the first test's)
  const repo = 'ml/champion-challenger';
  const v1 = await projectSample('champion');
  const first = await run(['deploy', v1.manifest, '--to', reg.ref(repo), ...QUICK]);
  assert.equal(first.code, 0, show(first));
  const manifest = await bumpedSample('1.1.0');
  const json = join(work, 'v2.json');
  const r = await run(['deploy', manifest, '--to', reg.ref(repo), '--json', json, '--kubernetes', '--dry-run', ...QUICK]);
  assert.equal(r.code, 0, show(r));
  assert.match(r.stderr, /champion\/challenger: comparing breast-cancer 1\.1\.0 with 1\.0\.0/);
  const report = JSON.parse(await readFile(json, 'utf8'));
  assert.equal(report.suites.metrics.baseline.version, '1.0.0');
  const regression = report.gates.filter((g: { id: string }) => g.id.startsWith('metrics.regression.'));
  assert.deepEqual(
    regression.map((g: { status: string }) => g.status),
    ['passed', 'passed'],
    'maxRegression is gated against the champion',
  );

  const docs = parseAllDocuments(r.stdout).map((d) => d.toJS());
  assert.equal(docs.length, 1, r.stdout);
  const isvc = docs[0];
  assert.equal(isvc.apiVersion, 'serving.kserve.io/v1beta1');
  assert.equal(isvc.kind, 'InferenceService');
  assert.equal(isvc.metadata.name, 'breast-cancer');
  const m = await skopeoRaw(['inspect', '--raw', '--tls-verify=false', `docker://${reg.host}/${repo}:1.1.0`]);
  const digest = `sha256:${(await import('node:crypto')).createHash('sha256').update(m).digest('hex')}`;
  assert.equal(isvc.spec.predictor.model.storageUri, `modelgate://${reg.host}/${repo}@${digest}`);
  assert.match(r.stderr, /loopback address/, 'warns that a pod cannot reach 127.0.0.1');
  assert.equal(await readFile(join(work, 'inferenceservice.yaml'), 'utf8'), r.stdout, 'the YAML is written next to the report too');
});

test('the stale sample is refused: exit 1 names staleness.modelAge and its margin, and the registry holds no tag; --force publishes it marked ungated', async (t) => {
  if (!haveTools) return t.skip('docker-registry or skopeo not installed');
  const repo = 'ml/breast-cancer-stale';
  const { manifest } = await projectSample('stale', ['breast-cancer-stale', 'breast-cancer']);
  const r = await run(['deploy', manifest, '--to', reg.ref(repo), ...QUICK]);
  assert.equal(r.code, 1, show(r));
  assert.match(r.stderr, /NOT published: breast-cancer 0\.9\.0 failed the gate: .*staleness\.modelAge \([\d.]+ d > 365 d by [\d.]+ d\)/);
  assert.doesNotMatch(r.stdout, /oci:\/\//);
  assert.deepEqual(await tags(repo), []);

  const f = await run(['deploy', manifest, '--to', reg.ref(repo), '--force', ...QUICK]);
  assert.equal(f.code, 0, show(f));
  assert.match(f.stderr, /UNGATED/);
  assert.deepEqual(await tags(repo), ['0.9.0']);
  const m = await inspect(repo, '0.9.0');
  assert.equal(m.annotations['dev.modelgate.gated'], 'false');
  assert.match(m.annotations['dev.modelgate.gates'] ?? '', /^ungated \(\d+\/\d+ passed\)$/);
});

test('a manifest with errors is refused before anything runs (exit 2, diagnostics)', async () => {
  const r = await run(['deploy', join(root, 'samples/broken/model.yaml'), '--to', join(work, 'never'), '--no-progress']);
  assert.equal(r.code, 2, show(r));
  assert.match(r.stderr, /is not a usable manifest; nothing was tested or published:\n {2}\S+model\.yaml:\d+:\d+: error MG\d{3}/);
});

test("npm start: the script's command leaves an OCI layout skopeo reads; a re-run of the same version succeeds and attaches its report", async (t) => {
  if (!requireTool('skopeo')) return t.skip('skopeo not installed');
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
  const args = (pkg.scripts.start as string).split(/\s+/);
  assert.deepEqual(args.slice(0, 2), ['node', 'bin/modelgate.js']);
  const cwd = await mkdtemp(join(work, 'npm-start-'));
  await cp(join(root, 'samples/breast-cancer'), join(cwd, 'samples/breast-cancer'), { recursive: true });
  // a project, as where `npm start` runs: its package.json makes this folder the project root
  await writeFile(join(cwd, 'package.json'), JSON.stringify({ name: 'project', private: true }));
  const r = await run(args.slice(2), cwd);
  assert.equal(r.code, 0, show(r));
  assert.match(r.stderr, /\[(staleness|metrics|stress)\] /, 'progress is shown');
  assert.match(r.stderr, /report: \.modelgate\/reports\/breast-cancer-1\.0\.0\.html/);
  assert.match(r.stderr, /inspect it: skopeo inspect --raw oci:\S+\/\.modelgate\/registry\/breast-cancer:1\.0\.0/);
  const layout = join(cwd, '.modelgate/registry/breast-cancer');
  const raw = JSON.parse(await skopeo(['inspect', '--raw', `oci:${layout}:1.0.0`]));
  // a CNCF ModelPack artifact, which KitOps, modctl and Harbor read
  assert.equal(raw.artifactType, 'application/vnd.cncf.model.manifest.v1+json');
  assert.equal(raw.config.mediaType, 'application/vnd.cncf.model.config.v1+json');
  assert.equal(raw.annotations['dev.modelgate.gated'], 'true');
  const config = JSON.parse(await readFile(join(layout, 'blobs', 'sha256', raw.config.digest.slice(7)), 'utf8'));
  assert.deepEqual(checkModelPackManifest(raw, config), []);
  const first = r.stdout.trim().split('\n').at(-1)!;

  // the same version again (quick, same target): idempotent, the artifact digest is unchanged
  const again = await run(['deploy', 'samples/breast-cancer/model.yaml', ...QUICK], cwd);
  assert.equal(again.code, 0, show(again));
  assert.match(again.stderr, /already published with this model and manifest; this run's report is attached/);
  assert.equal(again.stdout.trim().split('\n').at(-1), first);

  // --baseline takes a published layout version
  const b = await run(
    ['test', 'samples/breast-cancer/model.yaml', '--only', 'metrics', '--baseline', `${layout}:1.0.0`, '--json', 'b.json', '--no-progress'],
    cwd,
  );
  // --only metrics: every metric gate passes, but the verdict is incomplete (the other suites were not run) → exit 3
  assert.equal(b.code, 3, show(b));
  const bj = JSON.parse(await readFile(join(cwd, 'b.json'), 'utf8'));
  assert.equal(bj.suites.metrics.baseline.version, '1.0.0');
  assert.equal(bj.summary.verdict, 'incomplete');
  assert.equal(bj.summary.failed, 0);
});

test('Ctrl-C during the stress suite: exit 130, the report says cancelled, and nothing is published', async () => {
  const target = join(work, 'cancelled-layout');
  const json = join(work, 'cancelled.json');
  const project = await projectSample('cancelled');
  const child = spawn(process.execPath, [bin, 'deploy', project.manifest, '--to', target, '--json', json, '--duration', '5s'], {
    cwd: work,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stdout.resume();
  const code = await new Promise<number | null>((resolveExit) => {
    child.stderr.on('data', (d) => {
      stderr += d;
      if (/\[stress\] /.test(stderr) && !child.killed) child.kill('SIGINT');
    });
    child.on('close', resolveExit);
  });
  assert.equal(code, 130, stderr);
  assert.equal(JSON.parse(await readFile(json, 'utf8')).cancelled, true);
  await assert.rejects(readFile(join(target, 'index.json')), /ENOENT/, 'no layout was written');
});
