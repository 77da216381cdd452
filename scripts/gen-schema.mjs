// Regenerates server/manifest/model.schema.json and server/manifest/types.ts
// from scripts/schema-source.mjs. The schema is the single source of truth:
// validation, completion, hover and the TypeScript types all derive from it.
// With a directory argument, writes both files there instead (the unit test
// compares them with the committed ones).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile } from 'json-schema-to-typescript';

const outDir = process.argv[2];
const schemaPath = outDir ? join(outDir, 'model.schema.json') : 'server/manifest/model.schema.json';
const typesPath = outDir ? join(outDir, 'types.ts') : 'server/manifest/types.ts';
execFileSync(process.execPath, ['scripts/schema-source.mjs', schemaPath], { stdio: 'inherit' });
const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
// Without the title, the root interface takes the name given here.
const ts = await compile({ ...schema, title: undefined, $id: undefined }, 'ModelManifest', {
  bannerComment: '// Generated from model.schema.json by `npm run gen:schema`. Do not edit.',
  additionalProperties: false,
  unknownAny: true,
  // Tuples such as [string, string, ...string[]] for minItems only make callers index-check twice.
  ignoreMinAndMaxItems: true,
  style: { singleQuote: true },
});
writeFileSync(typesPath, ts);
console.log('wrote', schemaPath, 'and', typesPath);
