import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { parseManifest } from '../../server/manifest/parse';
import { validateManifest } from '../../server/manifest/validate';

const schemaPath = 'server/manifest/model.schema.json';

test('the committed schema is what scripts/schema-source.mjs generates', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'mg-schema-')), 'schema.json');
  execFileSync(process.execPath, ['scripts/schema-source.mjs', out]);
  assert.equal(readFileSync(schemaPath, 'utf8'), readFileSync(out, 'utf8'), 'run `npm run gen:schema` and commit the result');
});

test('the committed types are what scripts/gen-schema.mjs generates from the schema', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mg-types-'));
  execFileSync(process.execPath, ['scripts/gen-schema.mjs', dir]);
  assert.equal(readFileSync('server/manifest/types.ts', 'utf8'), readFileSync(join(dir, 'types.ts'), 'utf8'), 'run `npm run gen:schema` and commit the result');
});

test('each step op has its own subschema, so the types are a union discriminated on op', () => {
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
  for (const [list, ops] of [
    ['preprocessing', ['standardize', 'minmax', 'onehot', 'reshape']],
    ['postprocessing', ['softmax', 'argmax', 'topk']],
  ] as const) {
    const items = schema.properties[list].items;
    assert.equal(items.discriminator.propertyName, 'op');
    assert.deepEqual(
      items.oneOf.map((b: { properties: { op: { const: string } } }) => b.properties.op.const),
      ops,
    );
  }
  const types = readFileSync('server/manifest/types.ts', 'utf8');
  assert.match(types, /preprocessing\?: \(StandardizeStep \| MinmaxStep \| OnehotStep \| ReshapeStep\)\[\];/);
  assert.doesNotMatch(types, /\.\.\.\w+\[\]\]/, 'no tuple types for minItems');
});

test('every property in the schema has a description', () => {
  const missing: string[] = [];
  const walk = (node: unknown, path: string): void => {
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (n.properties && typeof n.properties === 'object') {
      for (const [k, v] of Object.entries(n.properties as Record<string, Record<string, unknown>>)) {
        if (typeof v.description !== 'string' || v.description.length < 10) missing.push(`${path}.${k}`);
        walk(v, `${path}.${k}`);
      }
    }
    if (n.items) walk(n.items, `${path}[]`);
    if (n.additionalProperties && typeof n.additionalProperties === 'object') walk(n.additionalProperties, `${path}.*`);
  };
  walk(JSON.parse(readFileSync(schemaPath, 'utf8')), '');
  assert.deepEqual(missing, []);
});

test('the annotated example manifest is valid against the schema', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
  const ok = validate(parse(readFileSync('docs/manifest-example.yaml', 'utf8')));
  assert.equal(ok, true, JSON.stringify(validate.errors));
});

test('the annotated example manifest passes every rule that needs no files', async () => {
  const diags = await validateManifest(parseManifest(readFileSync('docs/manifest-example.yaml', 'utf8')), {
    manifestPath: 'docs/manifest-example.yaml',
    semantic: false,
  });
  assert.deepEqual(
    diags.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`),
    [],
  );
});
