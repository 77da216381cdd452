import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attachReport, listReferrers, referrersTag } from '../../../server/publish/attachReport';
import { sha256Hex } from '../../../server/publish/digest';
import { LayoutStore } from '../../../server/publish/layoutStore';
import { listVersions } from '../../../server/publish/listVersions';
import { defaultLayoutDir, publishModel, PublishError, resolvePublishTarget, type PublishProgress } from '../../../server/publish/publishModel';
import { latestVersionTag, pullModel, safeTitlePath } from '../../../server/publish/pullModel';
import { makeModelFixture } from './modelFixture';
import { loadManifest } from '../../../server/manifest/load';
import { projectRoot } from '../../../server/manifest/projectRoot';

function tempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'mg-pub-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

test('gated publishing needs a report that passed; a failing report publishes nothing (exit 1)', async () => {
  const f = makeModelFixture();
  const out = tempDir();
  try {
    const loaded = await f.load();
    await assert.rejects(
      publishModel({ loaded, target: out.dir, gated: true }),
      (e: unknown) => e instanceof PublishError && e.exitCode === 3 && /no test report vouches for it/.test(e.message),
    );
    await assert.rejects(publishModel({ loaded, target: out.dir, gated: true, report: { json: f.failingReport } }), (e: unknown) => {
      assert.ok(e instanceof PublishError);
      assert.equal(e.exitCode, 1);
      assert.match(e.message, /1 of 3 gates failed/);
      assert.match(e.message, /staleness\.age: model age 120 d > 90 d \(30 d over\)/);
      assert.match(e.message, /--force/);
      return true;
    });
    assert.deepEqual(await new LayoutStore({ kind: 'layout', dir: out.dir }).listTags(), [], 'no tag');
  } finally {
    f.cleanup();
    out.cleanup();
  }
});

test('a report of another version is refused', async () => {
  const f = makeModelFixture({ version: '2.0.0' });
  const out = tempDir();
  try {
    writeFileSync(f.passingReport, JSON.stringify({ model: { name: 'tiny', version: '1.9.0' }, summary: { passed: true, gates: 1, failed: 0 } }));
    await assert.rejects(
      publishModel({ loaded: await f.load(), target: out.dir, gated: true, report: { json: f.passingReport } }),
      /report of tiny 1\.9\.0, not of tiny 2\.0\.0/,
    );
  } finally {
    f.cleanup();
    out.cleanup();
  }
});

test('a report about another model file, or from an incomplete run, does not vouch for this one', async () => {
  const f = makeModelFixture();
  const out = tempDir();
  try {
    const loaded = await f.load();
    const base = JSON.parse(readFileSync(f.passingReport, 'utf8'));
    writeFileSync(f.passingReport, JSON.stringify({ ...base, model: { ...base.model, artifactSha256: 'ab'.repeat(32) } }));
    await assert.rejects(
      publishModel({ loaded, target: out.dir, gated: true, report: { json: f.passingReport } }),
      /tested a model file with sha256 abab.*model changed after testing/,
    );
    writeFileSync(
      f.passingReport,
      JSON.stringify({ ...base, complete: false, cancelled: true, summary: { ...base.summary, verdict: 'cancelled', passed: false } }),
    );
    await assert.rejects(
      publishModel({ loaded, target: out.dir, gated: true, report: { json: f.passingReport } }),
      (e: unknown) => e instanceof PublishError && e.exitCode === 3 && /cancelled test run/.test(e.message),
    );
    // A metrics-only run: nothing failed, but stress and staleness never ran.
    const partial = {
      ...base,
      summary: { ...base.summary, verdict: 'incomplete', passed: false, gates: 2, notRun: 1, suitesRun: ['metrics'], suitesNotRun: ['staleness', 'stress'] },
      gates: [
        base.gates[0],
        { id: 'stress.p99', status: 'not run', pass: false, message: 'stress.p99: not run', reason: 'this run was limited to metrics (--only)' },
      ],
    };
    writeFileSync(f.passingReport, JSON.stringify(partial));
    await assert.rejects(publishModel({ loaded, target: out.dir, gated: true, report: { json: f.passingReport } }), (e: unknown) => {
      assert.ok(e instanceof PublishError && e.exitCode === 3, String(e));
      assert.match(e.message, /not a complete verdict .*suite\(s\) not run: staleness, stress/);
      assert.match(e.message, /stress\.p99 \(not run\): this run was limited to metrics/);
      assert.match(e.message, /--force/);
      return true;
    });
    // Forced, the same report publishes, marked ungated.
    assert.equal((await publishModel({ loaded, target: tempDir().dir, gated: false, report: { json: f.passingReport } })).gates, 'ungated (1/2 passed)');
    const sha = sha256Hex(readFileSync(f.modelPath));
    writeFileSync(f.passingReport, JSON.stringify({ ...base, model: { ...base.model, artifactSha256: sha } }));
    assert.equal((await publishModel({ loaded, target: out.dir, gated: true, report: { json: f.passingReport } })).gates, '3/3 passed');
  } finally {
    f.cleanup();
    out.cleanup();
  }
});

test('target: explicit (relative to cwd), else deploy.oci from the manifest (relative to it), else .modelgate/registry/<name> in the project root, whatever the cwd', async () => {
  const plain = makeModelFixture();
  const withOci = makeModelFixture({ deployOci: 'oci://registry.example.com/ml/tiny' });
  const withLayout = makeModelFixture({ deployOci: 'published' });
  try {
    // no project marker above the temp manifest: its own folder is the root
    assert.deepEqual(resolvePublishTarget(await plain.load(), undefined, { cwd: '/work/ws' }), {
      kind: 'layout',
      dir: join(plain.dir, '.modelgate/registry/tiny'),
    });
    assert.equal(defaultLayoutDir(await plain.load()), join(plain.dir, '.modelgate/registry/tiny'));
    assert.deepEqual(resolvePublishTarget(await plain.load(), 'out/layout', { cwd: '/work/ws' }), { kind: 'layout', dir: '/work/ws/out/layout' });
    assert.deepEqual(resolvePublishTarget(await withLayout.load(), undefined, { cwd: '/work/ws' }), { kind: 'layout', dir: join(withLayout.dir, 'published') });
    // a package.json (or .git, or an existing .modelgate) one level up makes that folder the root
    const nested = join(plain.dir, 'models', 'tiny');
    mkdirSync(nested, { recursive: true });
    copyFileSync(plain.manifestPath, join(nested, 'model.yaml'));
    copyFileSync(plain.modelPath, join(nested, 'model.onnx'));
    writeFileSync(join(plain.dir, 'package.json'), '{}');
    assert.equal(projectRoot(join(nested, 'model.yaml')), plain.dir);
    assert.equal(defaultLayoutDir(await loadManifest(join(nested, 'model.yaml'), { semantic: false })), join(plain.dir, '.modelgate/registry/tiny'));
    assert.deepEqual(resolvePublishTarget(await withOci.load(), undefined), {
      kind: 'registry',
      registry: 'registry.example.com',
      repository: 'ml/tiny',
      plainHttp: false,
    });
    assert.deepEqual(resolvePublishTarget(await withOci.load(), 'oci://localhost:5000/x'), {
      kind: 'registry',
      registry: 'localhost:5000',
      repository: 'x',
      plainHttp: true,
    });
    await assert.rejects(async () => resolvePublishTarget(await plain.load(), 'oci://r.example.com/x:1.0.0'), /names a tag; give the repository only/);
  } finally {
    plain.cleanup();
    withOci.cleanup();
    withLayout.cleanup();
  }
});

test('the default layout is used with no target, and republishing is idempotent (same digest, blobs skipped)', async () => {
  const f = makeModelFixture();
  const ws = tempDir();
  try {
    const loaded = await f.load();
    const events: PublishProgress[] = [];
    const a = await publishModel({
      loaded,
      target: undefined,
      cwd: ws.dir,
      gated: true,
      report: { json: f.passingReport },
      onProgress: (e) => {
        events.push(e);
      },
    });
    assert.equal(a.location, join(f.dir, '.modelgate', 'registry', 'tiny'), 'the project root, not the cwd');
    assert.equal(a.uploaded, 4);
    assert.deepEqual(
      events.map((e) => e.step).filter((s, i, all) => all.indexOf(s) === i),
      ['hash', 'blob', 'manifest', 'tag', 'done'],
    );
    assert.equal(events.at(-1)!.percent, 100);
    const b = await publishModel({ loaded, target: undefined, cwd: ws.dir, gated: true, report: { json: f.passingReport } });
    assert.equal(b.digest, a.digest);
    assert.equal(b.uploaded, 0);
    assert.equal(b.skipped, 4);
  } finally {
    f.cleanup();
    ws.cleanup();
  }
});

test('a version tag holding different content is not replaced unless overwrite', async () => {
  const f = makeModelFixture();
  const out = tempDir();
  try {
    const loaded = await f.load();
    const first = await publishModel({ loaded, target: out.dir, gated: false });
    writeFileSync(f.modelPath, 'a different model under the same version');
    await assert.rejects(
      publishModel({ loaded, target: out.dir, gated: false }),
      (e: unknown) => e instanceof PublishError && /already holds different content/.test(e.message) && /bump metadata\.version/.test(e.message),
    );
    const store = new LayoutStore({ kind: 'layout', dir: out.dir });
    assert.equal((await store.getManifest('1.2.3'))?.digest, first.digest);
    const second = await publishModel({ loaded, target: out.dir, gated: false, overwrite: true });
    assert.equal((await store.getManifest('1.2.3'))?.digest, second.digest);
    assert.notEqual(second.digest, first.digest);
  } finally {
    f.cleanup();
    out.cleanup();
  }
});

test('pull round-trips every file byte for byte; no tag pulls the highest version', async () => {
  const f = makeModelFixture();
  const out = tempDir();
  try {
    const loaded = await f.load();
    writeFileSync(join(f.dir, 'report.html'), '<html>report</html>');
    await publishModel({ loaded, target: join(out.dir, 'l'), gated: true, report: { json: f.passingReport, html: join(f.dir, 'report.html') } });
    const older = await f.load();
    older.manifest.metadata.version = '1.0.0';
    await publishModel({ loaded: older, target: join(out.dir, 'l'), gated: false });
    const notes: string[] = [];
    const pulled = await pullModel(join(out.dir, 'l'), join(out.dir, 'pulled'), { onProgress: (m) => notes.push(m) });
    assert.ok(notes.some((n) => /highest version, 1\.2\.3/.test(n)));
    assert.deepEqual(
      pulled.files.map((x) => x.title),
      ['model.onnx', 'model.yaml', 'report.json', 'report.html'],
    );
    for (const name of ['model.onnx', 'model.yaml', 'report.json', 'report.html']) {
      assert.deepEqual(readFileSync(join(out.dir, 'pulled', name)), readFileSync(join(f.dir, name)), name);
    }
    assert.equal(pulled.annotations['dev.modelgate.gated'], 'true');
    const byTag = await pullModel(`${join(out.dir, 'l')}:1.0.0`, undefined, { cwd: out.dir });
    assert.equal(byTag.dir, join(out.dir, 'l-1.0.0'));
    await assert.rejects(pullModel(`${join(out.dir, 'l')}:7.7.7`, join(out.dir, 'x')), /does not exist; list versions with `modelgate versions/);
  } finally {
    f.cleanup();
    out.cleanup();
  }
});

test('versions: newest semver first, labels after, gate annotations read back', async () => {
  const f = makeModelFixture();
  const out = tempDir();
  try {
    const loaded = await f.load();
    await publishModel({ loaded, target: out.dir, gated: true, report: { json: f.passingReport }, tags: ['stable'] });
    for (const v of ['1.10.0', '1.9.0']) {
      const l = await f.load();
      l.manifest.metadata.version = v;
      await publishModel({ loaded: l, target: out.dir, gated: false });
    }
    const { versions } = await listVersions(out.dir);
    assert.deepEqual(
      versions.map((v) => v.tag),
      ['1.10.0', '1.9.0', '1.2.3', 'stable'],
    );
    const v123 = versions.find((v) => v.tag === '1.2.3')!;
    // a ModelPack artifact was made when the test run that gates it was: the report's createdAt, not model.trainedAt
    assert.deepEqual([v123.gates, v123.gated, v123.created, v123.aliases], ['3/3 passed', true, '2026-02-03T04:05:06Z', ['stable']]);
    assert.equal(versions[0]!.gated, false);
  } finally {
    f.cleanup();
    out.cleanup();
  }
});

test('attachReport in a layout: a referrer with subject, indexed under the sha256-<hex> fallback tag, hidden from versions', async () => {
  const f = makeModelFixture();
  const out = tempDir();
  try {
    const r = await publishModel({ loaded: await f.load(), target: out.dir, gated: true, report: { json: f.passingReport } });
    const first = await attachReport(r.reference, { json: f.passingReport });
    const second = await attachReport(r.reference, { json: f.failingReport });
    const again = await attachReport(r.reference, { json: f.failingReport });
    assert.equal(again.digest, second.digest, 'attaching the same report twice is idempotent');
    assert.equal(first.fallbackTag, referrersTag(r.digest));
    const refs = await listReferrers(r.reference);
    assert.deepEqual(
      refs.map((d) => d.digest),
      [first.digest, second.digest],
    );
    assert.deepEqual(
      refs.map((d) => d.annotations?.['dev.modelgate.gates']),
      ['3/3 passed', 'ungated (2/3 passed)'],
    );
    const store = new LayoutStore({ kind: 'layout', dir: out.dir });
    const manifest = JSON.parse((await store.getManifest(first.digest))!.bytes.toString('utf8'));
    assert.equal(manifest.subject.digest, r.digest);
    assert.equal(manifest.artifactType, 'application/vnd.modelgate.report.v1');
    assert.equal(manifest.config.mediaType, 'application/vnd.oci.empty.v1+json');
    assert.deepEqual(
      (await listVersions(out.dir)).versions.map((v) => v.tag),
      ['1.2.3'],
    );
  } finally {
    f.cleanup();
    out.cleanup();
  }
});

test('pull refuses layer titles that would escape the target directory', () => {
  assert.equal(safeTitlePath('/out', 'models/a.onnx'), '/out/models/a.onnx');
  for (const bad of ['../evil', '/etc/passwd', 'a/../../b', 'C:\\x', '']) assert.throws(() => safeTitlePath('/out', bad), /outside the target directory/, bad);
  assert.equal(latestVersionTag(['stable', '1.2.0', '1.10.0', '1.10.0-rc.1', 'latest']), '1.10.0');
  assert.equal(latestVersionTag(['stable']), undefined);
});
