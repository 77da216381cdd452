// The editor's "Score a CSV file": the engine's scoreCsv, as `modelgate score`
// runs it, with the editor's defaults filled in (the manifest's validation
// data, the output next to the input). Progress is the share of the file read.
// With `queue`, the same job through the Redis queue (scoreCsvQueue).
import type { ScoreRequest } from '../../protocol/lsp';
import { scoreCsv, scoreCsvQueue, scoredPath, validationInput } from '../../pipeline';

export async function scoreFile(
  params: ScoreRequest.Params,
  onProgress: (percent: number, message: string) => void,
  signal: AbortSignal,
): Promise<ScoreRequest.Result> {
  const input = params.input ?? (await validationInput(params.manifest));
  const opts = {
    input,
    output: params.output ?? scoredPath(input),
    ...(params.batchSize !== undefined ? { batchSize: params.batchSize } : {}),
    ...(params.idColumn !== undefined ? { idColumn: params.idColumn } : {}),
    skipInvalid: params.skipInvalid === true,
    signal,
    onProgress: (p: { rows: number; bytesRead: number; totalBytes: number }) =>
      onProgress(p.totalBytes ? Math.round((p.bytesRead / p.totalBytes) * 100) : 0, `${p.rows} rows scored`),
  };
  const r = params.queue ? await scoreCsvQueue(params.manifest, { ...opts, queue: params.queue }) : await scoreCsv(params.manifest, opts);
  return { model: r.model, input: r.input, output: r.output, columns: r.columns, rows: r.rows, skipped: r.skipped, seconds: r.seconds };
}
