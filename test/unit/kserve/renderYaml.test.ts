// --dry-run output: multi-document YAML that reads back to the same objects,
// compared with a committed golden file (also quoted in docs/kubernetes.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { generateInferenceService, generateStorageContainer, renderYaml } from '../../../server/publish/kserve';
import { input } from './helpers';

const GOLDEN = 'test/fixtures/kserve/breast-cancer.dry-run.yaml';

function objects() {
  return [
    generateStorageContainer({ image: 'registry.example.com/tools/modelgate:0.1.0' }),
    generateInferenceService(input({ deploy: { kubernetes: { namespace: 'models', mode: 'serverless', canaryPercent: 10 } } })),
  ];
}

test('every object becomes one document, and parsing gives the objects back', () => {
  const text = renderYaml(objects());
  const docs = parseAllDocuments(text);
  assert.equal(docs.length, 2);
  assert.deepEqual(
    docs.map((d) => d.toJS()),
    objects(),
  );
  assert.ok(text.startsWith('---\n'));
});

test('quantities stay strings and long URIs stay on one line', () => {
  const text = renderYaml(objects());
  assert.match(text, /cpu: "1"\n/);
  const { storageUri } = generateInferenceService(input()).spec.predictor.model;
  assert.ok(text.split('\n').some((l) => l.trim() === `storageUri: ${storageUri}`));
});

test('no objects, no output', () => {
  assert.equal(renderYaml([]), '');
});

test('the output matches the committed example (UPDATE_GOLDEN=1 rewrites it)', () => {
  const text = renderYaml(objects());
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, text);
  assert.equal(text, readFileSync(GOLDEN, 'utf8'));
});
