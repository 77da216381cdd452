// The two doors that judge drift see the same numbers: the current data of
// a real sample sent through the real server's predict endpoint, then the
// live /v1/models/{name}/health PSI per feature, against the PSI the
// staleness suite's drift table computes on the same two CSV files. Digits
// also checks the per-row summaries of an input tested as a whole.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readTable, resolveDataPath } from '../../../server/manifest/dataset';
import { loadManifest } from '../../../server/manifest/load';
import { tableInputs } from '../../../server/manifest/predict';
import { compileProcessing } from '../../../server/manifest/compileProcessing';
import { driftFeatures, driftTable } from '../../../server/modeltests/staleness/driftTable';
import { startServer, type RunningServer } from '../../../server/serving/server';
import { postJson, sample } from './helpers';

for (const name of ['breast-cancer', 'digits']) {
  describe(`${name}: live health and the staleness suite`, () => {
    let server: RunningServer;
    before(async () => {
      server = await startServer({ manifests: [sample(name)], port: 0 });
    });
    after(() => server.close());

    test('the same rows give the same PSI per feature, to 1e-9', async (t) => {
      const loaded = await loadManifest(sample(name));
      const m = loaded.manifest;
      const reference = await readTable(resolveDataPath(loaded.dir, m.data!.reference!));
      const current = await readTable(resolveDataPath(loaded.dir, m.data!.current!));
      const plan = compileProcessing(m);
      assert.equal(plan.inputs.length, 1);
      const width = plan.inputs[0]!.rawWidth;
      const raw = tableInputs(plan, current)[0]!;
      const rows = current.rows.length;
      for (let from = 0; from < rows; from += 40) {
        const instances: number[][] = [];
        for (let r = from; r < Math.min(rows, from + 40); r++) instances.push(Array.from(raw.subarray(r * width, (r + 1) * width)));
        const res = await postJson(`${server.url}/v1/models/${name}:predict`, { instances });
        assert.equal(res.status, 200, res.text);
      }
      const health = (await (await fetch(`${server.url}/v1/models/${name}/health`)).json()) as {
        rows: number;
        features: { name: string; psi: number | null }[];
      };
      assert.equal(health.rows, rows);
      const live = new Map(health.features.map((f) => [f.name, f.psi]));

      const f = driftFeatures(m, reference, current);
      const table = driftTable(m, reference, current, f.features, f.summarized);
      const compared = table.outcomes.map((o) => o.drift).filter((d) => d.psi !== undefined);
      assert.ok(compared.length >= (name === 'digits' ? 3 : 30), `${compared.length} features with a PSI`);
      if (name === 'digits') {
        assert.deepEqual(
          compared.map((d) => d.feature),
          ['image: row mean', 'image: row standard deviation', 'image: distance to the reference centroid'],
        );
        assert.equal(health.features.length, 3, 'live health watches the image as a whole too');
      }
      let largest = 0;
      let worst = 0;
      for (const d of compared) {
        const p = live.get(d.feature);
        assert.equal(typeof p, 'number', `live health has no PSI for ${d.feature}`);
        assert.ok(Math.abs(p! - d.psi!) <= 1e-9, `${d.feature}: live ${p} vs staleness ${d.psi}`);
        largest = Math.max(largest, d.psi!);
        worst = Math.max(worst, Math.abs(p! - d.psi!));
      }
      t.diagnostic(`${compared.length} features, largest PSI ${largest.toFixed(4)}, largest |live − staleness| ${worst}`);
      assert.ok(largest > 0, 'the PSIs are not all zero (the comparison is not vacuous)');
    });
  });
}
