// One error model: every publish and deploy error is a ModelGateError with a
// registered code and the exit code the CLI uses; the CLI maps by type, so a
// real JavaScript error is never mistaken for a user error.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CliExit } from '../../../server/cli/exit';
import { failPublishing } from '../../../server/cli/publish';
import { CODES } from '../../../server/manifest/codes';
import { loadManifest, ManifestError } from '../../../server/manifest/load';
import { ERROR_CODES, errorData, ModelGateError } from '../../../server/protocol/errors';
import { AttachError } from '../../../server/publish/attachReport';
import { DigestMismatchError } from '../../../server/publish/digest';
import { GateReportError } from '../../../server/publish/gateReport';
import { KServeError } from '../../../server/publish/kserve/kserveError';
import { LayoutError } from '../../../server/publish/layoutStore';
import { ArtifactInputError } from '../../../server/publish/modelArtifact';
import { PublishError } from '../../../server/publish/publishModel';
import { PullError } from '../../../server/publish/pullModel';
import { ModelReferenceError, parseReference } from '../../../server/publish/reference';
import { PublishCancelledError, RegistryError, RegistryUnreachableError } from '../../../server/publish/registryErrors';
import { DeployError } from '../../../server/pipeline/deploy';
import { PulledManifestError } from '../../../server/pipeline/pulledManifest';
import { RemoteDeployError } from '../../../server/pipeline/remote';

function exitOf(err: unknown): number {
  const write = process.stderr.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    failPublishing(err);
  } catch (e) {
    if (e instanceof CliExit) return e.exitCode;
    throw e;
  } finally {
    process.stderr.write = write;
  }
  throw new Error('failPublishing returned');
}

test('every publish and deploy error has a registered code and its exit code', () => {
  const errors: [ModelGateError, string, number][] = [
    [new RegistryError('r', 'PUT', 500, [], 'm'), ERROR_CODES.registryRefused, 2],
    [new RegistryError('r', 'PUT', 401, [], 'm'), ERROR_CODES.registryLogin, 2],
    [new RegistryError('r', 'PUT', 403, [], 'm'), ERROR_CODES.registryLogin, 2],
    [new RegistryUnreachableError('r', 'GET', new Error('ECONNREFUSED'), 1), ERROR_CODES.registryUnreachable, 2],
    [new ModelReferenceError('x', 'm'), ERROR_CODES.badReference, 2],
    [new PublishError('m', 1), ERROR_CODES.publishRefused, 1],
    [new PublishError('m', 3), ERROR_CODES.publishRefused, 3],
    [new GateReportError('p', 'm'), ERROR_CODES.reportUnusable, 2],
    [new DigestMismatchError('w', 'a', 'b'), ERROR_CODES.digestMismatch, 2],
    [new ArtifactInputError('m'), ERROR_CODES.artifactInput, 2],
    [new LayoutError('d', 'm'), ERROR_CODES.layout, 2],
    [new PullError('m'), ERROR_CODES.pull, 2],
    [new AttachError('m'), ERROR_CODES.attach, 2],
    [new PublishCancelledError('upload'), ERROR_CODES.cancelled, 130],
    [new DeployError('m'), ERROR_CODES.deploy, 2],
    [new RemoteDeployError('m'), ERROR_CODES.remoteDeploy, 2],
    [new KServeError('m'), ERROR_CODES.kserve, 2],
    [new PulledManifestError('m'), ERROR_CODES.pulledManifest, 2],
  ];
  for (const [err, code, exit] of errors) {
    assert.ok(err instanceof ModelGateError, err.name);
    assert.equal(err.code, code, err.name);
    assert.ok(code in CODES, `${code} is registered`);
    assert.equal(exitOf(err), exit, err.name);
    assert.equal(errorData(err)?.exitCode, exit);
  }
  assert.equal(errorData(new RegistryError('r', 'PUT', 401, [], 'm'))?.status, 401, 'the HTTP status crosses the door');
  assert.equal(new KServeError('m', 'deploy.kubernetes.mode', 'MG125').code, 'MG125', "a KServe problem the linter also reports keeps the linter's code");
});

test('a real JavaScript error is a bug, not a user error: it is rethrown, not turned into an exit code', () => {
  const bug = new ReferenceError('x is not defined');
  assert.throws(
    () => failPublishing(bug),
    (e) => e === bug,
  );
  assert.throws(() => failPublishing(new TypeError('cannot read properties of undefined')), TypeError);
  assert.equal(errorData(bug), undefined);
  // a bad reference is the user's
  assert.throws(() => parseReference('oci://'), ModelReferenceError);
});

test('a manifest the engine cannot use is a ModelGate error with the code lint gives, for every door', async () => {
  const missing = await loadManifest('/nonexistent/dir/model.yaml').then(
    () => assert.fail('a missing manifest loaded'),
    (e: unknown) => e,
  );
  assert.ok(missing instanceof ManifestError && missing instanceof ModelGateError);
  assert.deepEqual(errorData(missing), { code: 'MG113', exitCode: 2, hint: 'check the path, or create a manifest with `modelgate init model.onnx`' });
  assert.ok(CODES.MG113);
  assert.equal(exitOf(missing), 2);
  const dir = mkdtempSync(join(tmpdir(), 'mg-manifest-error-'));
  try {
    writeFileSync(join(dir, 'model.yaml'), 'apiVersion: modelgate/v1\nkind: Model\nmetadata: {name: m, version: "1.2"}\n');
    const broken = await loadManifest(join(dir, 'model.yaml')).then(
      () => assert.fail('a broken manifest loaded'),
      (e: unknown) => e,
    );
    assert.ok(broken instanceof ManifestError);
    const data = errorData(broken);
    assert.equal(data?.exitCode, 1);
    assert.equal(data?.code, broken.diagnostics.find((d) => d.severity === 'error')?.code);
    assert.match(data?.code ?? '', /^MG1\d\d$/);
    assert.equal(exitOf(broken), 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
