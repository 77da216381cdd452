// `modelgate publish|pull|versions` through the real command table (in a
// child process) against an OCI layout: exit codes, refusals and output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runCli } from './cliHarness';
import { copySample, report } from './modelFixture';

test('modelgate publish / versions / pull against an OCI layout', async () => {
  const sample = copySample('breast-cancer');
  const work = mkdtempSync(join(tmpdir(), 'mg-cli-'));
  try {
    const manifest = join(sample.dir, 'model.yaml');
    const meta = (parse(readFileSync(manifest, 'utf8')) as { metadata: { name: string; version: string } }).metadata;
    const layout = join(work, 'layout');
    const pass = join(work, 'pass.json');
    const failing = join(work, 'fail.json');
    writeFileSync(pass, report(true, meta));
    writeFileSync(failing, report(false, meta));

    const [noReport, failed, afterFailed, ok, forced, versions, forcedVersions, pulled, missing, badRef] = await runCli([
      { args: ['publish', manifest, '--to', layout] },
      { args: ['publish', manifest, '--to', layout, '--report', failing] },
      { args: ['versions', layout] },
      { args: ['publish', manifest, '--to', layout, '--report', pass, '--tag', 'stable'] },
      { args: ['publish', manifest, '--to', join(work, 'forced'), '--report', failing, '--force'] },
      { args: ['versions', layout] },
      { args: ['versions', join(work, 'forced'), '--json'] },
      { args: ['pull', `${layout}:stable`, join(work, 'pulled')] },
      { args: ['pull', `${layout}:0.0.0`, join(work, 'nothing')] },
      { args: ['versions', 'oci://127.0.0.1:1/UPPER'] },
    ]);
    assert.equal(noReport.code, 2);
    assert.match(noReport.stderr, /needs a passing test report.*--json report\.json.*--report report\.json.*--force/);

    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /1 of 3 gates failed/);
    assert.match(failed.stderr, /staleness\.age: model age 120 d > 90 d/);
    assert.equal(afterFailed.stdout, '', 'a failed gate publishes nothing');
    assert.match(afterFailed.stderr, /holds no versions yet/);

    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, new RegExp(`^${layout}:${meta.version}@sha256:[a-f0-9]{64}\\n$`));
    assert.match(ok.stderr, /model\.onnx: uploaded/);
    assert.match(ok.stderr, /3\/3 passed/);

    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stderr, /UNGATED/);

    assert.equal(versions.code, 0, versions.stderr);
    const lines = versions.stdout.trim().split('\n');
    assert.match(lines[0]!, /^TAG\s+DIGEST\s+CREATED\s+GATES\s+GATED/);
    assert.match(lines[1]!, new RegExp(`^${meta.version.replace(/\./g, '\\.')}\\s+[a-f0-9]{12}\\s+\\S+\\s+3/3 passed\\s+gated\\s+stable$`));
    assert.equal(JSON.parse(forcedVersions.stdout).versions[0].gates, 'ungated (2/3 passed)');

    assert.equal(pulled.code, 0, pulled.stderr);
    assert.deepEqual(readFileSync(join(work, 'pulled', 'model.onnx')), readFileSync(join(sample.dir, 'model.onnx')));
    assert.deepEqual(readFileSync(join(work, 'pulled', 'model.yaml')), readFileSync(manifest));

    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /does not exist; list versions/);

    assert.equal(badRef.code, 2);
    assert.match(badRef.stderr, /not a valid repository name/);
  } finally {
    sample.cleanup();
    rmSync(work, { recursive: true, force: true });
  }
});
