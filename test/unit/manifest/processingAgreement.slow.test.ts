// Lint and serving judge a manifest's processing with one compiler; this
// holds them to it. Each mutated manifest (the fuzzer's mutations, drawn
// with a fixed seed) that the schema accepts is linted with its real files
// and compiled as serving compiles it, with the real model's tensors: lint
// reports a processing error iff compiling fails, with the same codes at
// the same places.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { compileProcessing, ProcessingError, PROCESSING_CODES } from '../../../server/manifest/compileProcessing';
import { parseManifest } from '../../../server/manifest/parse';
import type { ModelManifest } from '../../../server/manifest/types';
import { validateManifest } from '../../../server/manifest/validate';
import { checkSchema } from '../../../server/manifest/validators/schema';
import { createSession, sessionMetadata, type Session } from '../../../server/runtime/onnx';
import { NOW } from './manifestFixture';
import { mutations, sample, WRONG } from './mutations';

const BASES = ['test/fixtures/two-inputs/model.yaml', 'samples/digits/model.yaml'];
/** Sizes, counts and names that steps and shapes are sensitive to, besides the fuzzer's wrong values. */
const VALUES = [...WRONG, 0, 1, 2, 3, -1, 'batch', 'color'];
const PER_BASE = 500;
const SEED = 20261123;
const AREAS = new Set(['signature', 'preprocessing', 'postprocessing', 'model']);

const sessions: Session[] = [];
after(async () => {
  for (const s of sessions) await s.release();
});

const key = (code: string, path: (string | number)[]) => `${code} ${path.join('.')}`;
const sorted = (xs: string[]) => [...new Set(xs)].sort();

for (const base of BASES) {
  let model: ReturnType<typeof sessionMetadata>;
  before(async () => {
    const session = await createSession(join(dirname(base), 'model.onnx'));
    sessions.push(session);
    model = sessionMetadata(session);
  });

  test(`lint and serving agree on ${PER_BASE} mutations of ${base}`, async () => {
    const text = readFileSync(base, 'utf8');
    const drawn = sample([...mutations(text, VALUES)], PER_BASE, SEED);
    const tally = { compared: 0, rejected: 0 };
    for (const m of drawn) {
      const parsed = parseManifest(m.text);
      if (parsed.diagnostics.some((d) => d.severity === 'error')) continue;
      // A manifest the schema rejects never reaches serving's compiler.
      const schema = checkSchema(parsed);
      if (schema.stop || schema.invalid.length) continue;
      const lint = await validateManifest(parsed, { manifestPath: base, now: NOW });
      // Nor does one whose model cannot be loaded.
      if (lint.some((d) => d.code === 'MG301' || d.code === 'MG302')) continue;
      const linted = lint
        .filter((d) => d.severity === 'error' && PROCESSING_CODES.includes(d.code as never) && AREAS.has(String(d.path[0])))
        .map((d) => key(d.code, d.path));
      let served: string[] = [];
      try {
        compileProcessing(parsed.value as ModelManifest, model);
      } catch (err) {
        assert.ok(err instanceof ProcessingError, `${m.what}: serving threw ${String(err)}`);
        assert.equal(err.code, err.problems[0]!.code, 'the error carries the code of its first problem');
        served = err.problems.map((p) => key(p.code, p.path));
      }
      assert.deepEqual(sorted(linted), sorted(served), `${base} with ${m.what}: lint and serving disagree`);
      tally.compared++;
      if (served.length) tally.rejected++;
    }
    // The draw must exercise both answers, or the agreement says little.
    assert.ok(tally.compared >= PER_BASE / 5, `only ${tally.compared} of ${PER_BASE} mutations reached the compiler`);
    assert.ok(tally.rejected >= 10, `only ${tally.rejected} mutations were rejected`);
    assert.ok(tally.compared - tally.rejected >= 10, `only ${tally.compared - tally.rejected} mutations were accepted`);
  });
}
