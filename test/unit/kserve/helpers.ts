// Shared builders for the KServe tests: a small manifest, fixed digests, and
// validators compiled from the JSON Schemas in test/fixtures/kserve/.
import { readFileSync } from 'node:fs';
import Ajv, { type ValidateFunction } from 'ajv';
import type { ModelManifest } from '../../../server/manifest/types';
import type { InferenceServiceInput } from '../../../server/publish/kserve';

export const DIGEST_V1 = 'sha256:' + '1'.repeat(64);
export const DIGEST_V2 = 'sha256:' + '2'.repeat(64);
export const REF_V1 = 'oci://registry.example.com/ml/breast-cancer:1.1.0';
export const REF_V2 = 'oci://registry.example.com/ml/breast-cancer:1.2.0';

type Sections = Partial<Omit<ModelManifest, 'metadata'>> & { metadata?: Partial<ModelManifest['metadata']> };

export function manifest(over: Sections = {}): ModelManifest {
  const { metadata, ...rest } = over;
  return {
    apiVersion: 'modelgate/v1',
    kind: 'Model',
    metadata: { name: 'breast-cancer', version: '1.2.0', type: 'lean', ...metadata },
    model: { framework: 'onnx', artifact: 'model.onnx', task: 'classification', classLabels: ['malignant', 'benign'] },
    serving: { threads: 1, hardware: 'cpu', instances: 1 },
    deploy: { kubernetes: { namespace: 'models', mode: 'serverless' } },
    ...rest,
  } as ModelManifest;
}

/** A deployment of 1.2.0 replacing 1.1.0 with the given manifest sections. */
export function input(over: Sections = {}, extra: Partial<InferenceServiceInput> = {}): InferenceServiceInput {
  return {
    manifest: manifest(over),
    artifact: { reference: REF_V2, digest: DIGEST_V2, gates: '12/12 passed', gated: true },
    previous: { reference: REF_V1, digest: DIGEST_V1, version: '1.1.0' },
    ...extra,
  };
}

// strict, except for `required` inside `not` (the raw-mode canary rule), which strictRequired rejects.
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
const cache = new Map<string, ValidateFunction>();

export function schemaValidator(file: 'inferenceservice' | 'clusterstoragecontainer'): ValidateFunction {
  let v = cache.get(file);
  if (!v) {
    v = ajv.compile(JSON.parse(readFileSync(`test/fixtures/kserve/${file}.schema.json`, 'utf8')));
    cache.set(file, v);
  }
  return v;
}

/** Schema errors as `path message` lines, for assertion messages and matching. */
export function schemaErrors(file: 'inferenceservice' | 'clusterstoragecontainer', obj: unknown): string[] {
  const v = schemaValidator(file);
  if (v(obj)) return [];
  return (v.errors ?? []).map(
    (e) => `${e.instancePath} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`,
  );
}

/** A deep copy to mutate in negative tests. */
export function clone<T>(o: T): T {
  return structuredClone(o);
}
