// Lint and serving judge a manifest's processing with one compiler; this
// holds them to it. Each mutated manifest (the fuzzer's mutations of the
// signature, steps and model, drawn with a fixed seed, alone and in pairs so
// that problems meet) that the schema accepts is linted with its real files
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
import { apply, mutations, sample, WRONG, type Mutation } from './mutations';

const BASES = ['test/fixtures/two-inputs/model.yaml', 'samples/digits/model.yaml'];
/** Sizes, counts and names that steps and shapes are sensitive to, besides the fuzzer's wrong values. */
const VALUES = [...WRONG, 0, 1, 2, 3, -1, 16, 'batch', 'color', 'string', 'int64'];
const SINGLES = 600;
const PAIRS = 600;
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

  test(`lint and serving agree on ${SINGLES} mutations and ${PAIRS} pairs of ${base}`, async (t) => {
    const text = readFileSync(base, 'utf8');
    const all = [...mutations(text, VALUES)].filter((m) => AREAS.has(String(m.path[0])));
    const singles = sample(all, SINGLES, SEED);
    // Pairs of scalar changes and removals: the schema lets more of them through than lists and mappings.
    const scalar = all.filter((m) => !m.value || typeof m.value.v === 'number' || typeof m.value.v === 'string');
    const seconds = sample(scalar, PAIRS, SEED + 1);
    const pairs: Mutation[] = sample(scalar, PAIRS, SEED + 2).flatMap((a, k) => {
      const b = seconds[k]!;
      if (a.path.join('.') === b.path.join('.')) return [];
      try {
        return [{ ...b, what: `${a.what} and ${b.what}`, text: apply(a.text, b) }];
      } catch {
        // The first took away the place of the second (a list shortened, a mapping made a number).
        return [];
      }
    });
    const tally = { compared: 0, rejected: 0, several: 0 };
    const codes = new Set<string>();
    for (const m of [...singles, ...pairs]) {
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
      if (new Set(served).size > 1) tally.several++;
      for (const s of served) codes.add(s.split(' ')[0]!);
    }
    // The draw must exercise both answers, or the agreement says little.
    const drawn = singles.length + pairs.length;
    assert.ok(tally.compared >= drawn / 8, `only ${tally.compared} of ${drawn} mutations reached the compiler`);
    assert.ok(tally.rejected >= 30, `only ${tally.rejected} mutations were rejected`);
    assert.ok(tally.compared - tally.rejected >= 30, `only ${tally.compared - tally.rejected} mutations were accepted`);
    assert.ok(tally.several >= 3, `only ${tally.several} mutations had more than one problem`);
    assert.ok(codes.size >= 5, `the rejections exercised only ${[...codes].join(', ')}`);
    t.diagnostic(`${JSON.stringify(tally)}; codes: ${[...codes].sort().join(' ')}`);
  });
}
