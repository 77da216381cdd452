// Child of `npm run bench:serve`: the best an application could do with
// onnxruntime-node in its own process — session.run on tensors prepared
// beforehand (no HTTP; the manifest's preprocessing is applied once, outside
// the timing), on the same row the server is sent, for each intra-op thread
// count and batch size asked. Prints one JSON line: rows/s per setting.
//
//   node --import tsx bench/inProcess.ts '{"manifest": ".../model.yaml", "row": [...], "threads": [1, 2], "batches": [1, 8], "seconds": 3}'
import { loadManifest } from '../server/manifest/load';
import { artifactPath, planFor } from '../server/manifest/predict';
import { preprocess } from '../server/manifest/processing';
import { createSession, run, type Tensor } from '../server/runtime/onnx';

interface Config {
  manifest: string;
  row: number[];
  threads: number[];
  batches: number[];
  seconds: number;
}

async function main(): Promise<void> {
  const cfg = JSON.parse(process.argv[2] ?? '{}') as Config;
  const loaded = await loadManifest(cfg.manifest, { semantic: false });
  const points: { threads: number; batch: number; rowsPerSec: number; msPerBatch: number }[] = [];
  for (const threads of cfg.threads) {
    const session = await createSession(artifactPath(loaded), { intraOpNumThreads: threads });
    const plan = planFor(loaded, session);
    for (const batch of cfg.batches) {
      const feeds: Record<string, Tensor> = {};
      let offset = 0;
      for (const input of plan.inputs) {
        const raw = new Float64Array(batch * input.rawWidth);
        for (let r = 0; r < batch; r++) raw.set(cfg.row.slice(offset, offset + input.rawWidth), r * input.rawWidth);
        offset += input.rawWidth;
        feeds[input.name] = preprocess(input, raw, batch);
      }
      await run(session, feeds);
      let batches = 0;
      const t0 = performance.now();
      while (performance.now() - t0 < cfg.seconds * 1000) {
        await run(session, feeds);
        batches++;
      }
      const ms = performance.now() - t0;
      points.push({ threads, batch, rowsPerSec: (batches * batch * 1000) / ms, msPerBatch: ms / batches });
    }
    await session.release();
  }
  process.stdout.write(JSON.stringify({ points }) + '\n');
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
