import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DigestMismatchError, digestFile, digestHex, digestOf, isDigest, verifyDigest } from '../../../server/publish/digest';
import { canonicalJson } from '../../../server/publish/canonicalJson';

// Known sha256 values (FIPS 180-2 examples).
const EMPTY = 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const ABC = 'sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

test('digestOf matches the published sha256 test vectors', () => {
  assert.equal(digestOf(''), EMPTY);
  assert.equal(digestOf(Buffer.from('abc')), ABC);
  // the OCI empty descriptor `{}`
  assert.equal(digestOf('{}'), 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
});

test('digestFile streams a file to the same digest and size as hashing it in memory', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mg-digest-'));
  try {
    const data = Buffer.alloc(3 * 1024 * 1024 + 17, 7); // several stream chunks
    writeFileSync(join(dir, 'f'), data);
    assert.deepEqual(await digestFile(join(dir, 'f')), { digest: digestOf(data), size: data.length });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('isDigest and digestHex accept only sha256 with 64 lowercase hex digits', () => {
  assert.equal(isDigest(ABC), true);
  assert.equal(isDigest(ABC.toUpperCase()), false);
  assert.equal(isDigest('sha512:' + 'a'.repeat(128)), false);
  assert.equal(isDigest('sha256:abc'), false);
  assert.equal(digestHex(ABC), ABC.slice(7));
  assert.throws(() => digestHex('md5:x'), /expected sha256:/);
});

test('verifyDigest throws a DigestMismatchError naming both digests', () => {
  verifyDigest('blob', Buffer.from('abc'), ABC);
  assert.throws(
    () => verifyDigest('model.onnx', Buffer.from('abd'), ABC),
    (err: unknown) => {
      assert.ok(err instanceof DigestMismatchError);
      assert.match(err.message, /model\.onnx/);
      assert.match(err.message, new RegExp(ABC));
      assert.equal(err.expected, ABC);
      assert.notEqual(err.actual, ABC);
      return true;
    },
  );
});

test('canonicalJson sorts keys at every level and drops undefined, so equal objects give equal bytes', () => {
  const a = canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } });
  const b = canonicalJson({ a: { d: [{ y: 2, z: 1 }] }, b: 1 });
  assert.equal(a, '{"a":{"d":[{"y":2,"z":1}]},"b":1}');
  assert.equal(a, b);
});
