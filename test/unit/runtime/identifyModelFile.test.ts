// Files that are not ONNX, told apart by their first bytes, each with the
// conversion that makes it ONNX; onnxruntime errors shown whole, with a hint
// where the cause is known.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { identifyModelFile, loadModelMetadata, ModelLoadError, runtimeReason } from '../../../server/runtime/onnx';

const id = (bytes: Buffer) => identifyModelFile(bytes, bytes.length);

test('pickle, Git LFS pointer, PyTorch zip, Keras, HDF5, TFLite, safetensors, GGUF, text and random bytes each get their own name and fix', () => {
  const cases: [Buffer, RegExp, RegExp][] = [
    [Buffer.from([0x80, 0x04, 0x95, 0x10, 0x00]), /^is a Python pickle/, /skl2onnx/],
    [
      Buffer.from('version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12\n'),
      /^is a Git LFS pointer \(\d+ bytes, object 4d7a214614ab…\), not the model/,
      /git lfs pull/,
    ],
    [Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.from('....archive/data.pklarchive/version')]), /^is a PyTorch checkpoint/, /torch\.onnx\.export/],
    [Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.from('....metadata.jsonconfig.jsonmodel.weights.h5')]), /^is a Keras model archive/, /tf2onnx.*--keras/],
    [Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.from('....readme.txt')]), /^is a zip archive/, /unpack it/],
    [Buffer.from('\x89HDF\r\n\x1a\n\x00\x00', 'latin1'), /^is an HDF5 file/, /tf2onnx.*--keras model\.h5/],
    [Buffer.concat([Buffer.from([0x1c, 0, 0, 0]), Buffer.from('TFL3'), Buffer.alloc(8)]), /^is a TensorFlow Lite model/, /--tflite/],
    [
      (() => {
        const json = Buffer.from('{"weight":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}');
        const len = Buffer.alloc(8);
        len.writeBigUInt64LE(BigInt(json.length));
        return Buffer.concat([len, json]);
      })(),
      /^is a safetensors file: weights only/,
      /torch\.onnx\.export/,
    ],
    [Buffer.from('GGUF\x03\x00\x00\x00'), /^is a GGUF model/, /export the original model/],
    [Buffer.from('hello, I am text\n'), /^is a text file, starting "hello, I am text"/, /point model\.artifact at the \.onnx file/],
    [Buffer.from([0x01, 0x02, 0xfe, 0x00, 0x13, 0x37]), /^is not an ONNX file/, /copied whole/],
  ];
  for (const [bytes, what, fix] of cases) {
    const r = id(bytes);
    assert.match(r.what, what, r.what);
    assert.match(r.fix, fix, r.fix);
  }
});

test('a TensorFlow SavedModel folder is named as one, and the error carries what was identified', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mg-id-'));
  try {
    const saved = join(dir, 'exported');
    await mkdir(saved);
    await writeFile(join(saved, 'saved_model.pb'), '');
    await assert.rejects(loadModelMetadata(saved), (err: Error) => {
      assert.ok(err instanceof ModelLoadError);
      assert.match(
        err.message,
        /exported is a TensorFlow SavedModel folder; convert it with tf2onnx: `python -m tf2onnx\.convert --saved-model .*exported --output model\.onnx`/,
      );
      assert.equal(err.identified?.what, 'is a TensorFlow SavedModel folder');
      return true;
    });
    const pickle = join(dir, 'model.onnx');
    await writeFile(pickle, Buffer.from([0x80, 0x05, 0x95, 0x00]));
    await assert.rejects(loadModelMetadata(pickle), (err: Error) => err instanceof ModelLoadError && /model\.onnx is a Python pickle/.test(err.message));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("onnxruntime's errors are shown whole, with the fix for a fixed batch size and a wrong dtype", () => {
  const fixed =
    'Got invalid dimensions for input: features for the following indices\n index: 0 Got: 32 Expected: 1\n Please fix either the inputs/outputs or the model.';
  const r = runtimeReason(fixed);
  assert.match(
    r,
    /^Got invalid dimensions for input: features for the following indices index: 0 Got: 32 Expected: 1 Please fix either the inputs\/outputs or the model\./,
  );
  assert.match(r, /the model was exported with a fixed batch size of 1 for input "features": export it again with dynamic_axes=\{'features': \{0: 'batch'\}\}/);
  assert.match(r, /or set serving\.batching\.enabled: false and send 1 row per request/);
  const axis = runtimeReason('Got invalid dimensions for input: x for the following indices\n index: 1 Got: 12 Expected: 13\n');
  assert.match(axis, /input "x" takes 13 values on axis 1/);
  const dtype = runtimeReason('Unexpected input data type. Actual: (tensor(double)) , expected: (tensor(float))');
  assert.match(dtype, /the model takes float but was fed double: set signature\.inputs\[\]\.dtype/);
  const gather = runtimeReason(
    "Non-zero status code returned while running Gather node. Name:'/g' Status Message: /onnxruntime/core/providers/cpu/tensor/gather.cc:154 onnxruntime::GatherCommon indices element out of data bounds, idx=9 must be within the inclusive range [-4,3]",
  );
  assert.equal(gather, "Gather node '/g': indices element out of data bounds, idx=9 must be within the inclusive range [-4,3]");
});
