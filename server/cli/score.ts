// `modelgate score <manifest> --input data.csv --output predictions.csv`:
// the engine's scoring job (pipeline/score.ts) with a progress bar and a
// summary line.
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { QueueError, scoreCsv, scoreCsvQueue, ScoreError, type QueueScoreResult, type ScoreResult } from '../pipeline';
import { ERROR_CODES } from '../protocol/errors';
import { fail } from './exit';
import { failOnLoadError, parseInteger } from './serve';

interface ScoreFlags {
  input: string;
  output: string;
  batchSize: string;
  idColumn?: string;
  skipInvalid?: boolean;
  progress: boolean;
  queue?: string;
  queueTimeout: string;
}

/** The summary line; the rows left out, with their lines, when there were any. */
export function scoreSummary(r: ScoreResult): string {
  const rate = r.seconds > 0 ? Math.round(r.rows / r.seconds) : r.rows;
  let text = `scored ${r.rows} rows with ${r.model.name} ${r.model.version} in ${r.seconds.toFixed(2)} s (${rate} rows/s) → ${r.output}`;
  if (r.skipped.count) {
    text += `\nleft out ${r.skipped.count} row(s) the model cannot score (--skip-invalid):`;
    for (const s of r.skipped.first) text += `\n  ${r.input}:${s.line}: ${s.reason}`;
    if (r.skipped.count > r.skipped.first.length) text += `\n  … and ${r.skipped.count - r.skipped.first.length} more`;
  }
  if ('nodes' in r) {
    const q = r as QueueScoreResult;
    text += `\nthrough the queue: answered by ${q.nodes.length} node(s) (${q.nodes.join(', ')})`;
    if (q.resumedRows) text += `; resumed after ${q.resumedRows} rows written by an earlier run`;
    if (q.duplicates) text += `; dropped ${q.duplicates} duplicate repl${q.duplicates === 1 ? 'y' : 'ies'}`;
  }
  return text;
}

export function registerScore(program: Command): void {
  program
    .command('score')
    .description("Score a CSV file with a model through the serving path (adaptive batching, the manifest's pre/post-processing)")
    .argument('<manifest>', 'model.yaml, or a directory holding it')
    .requiredOption('--input <csv>', "CSV with a header row holding the model's feature columns")
    .requiredOption('--output <csv>', 'where to write the predictions')
    .option('--batch-size <n>', 'rows per inference', '256')
    .option('--id-column <name>', 'input column copied to the output to identify rows (default: "id" if present, else a 1-based "row" number)')
    .option('--skip-invalid', 'leave out rows with a cell the model cannot take as a number (and list them) instead of failing on the first')
    .option('--no-progress', 'no progress bar')
    .option(
      '--queue <url>',
      "score through the model's Redis stream instead of in this process: the rows go to modelgate:{model}:requests and the nodes started with `modelgate serve --queue` answer; an interrupted run resumes when run again (docs/queue.md)",
    )
    .option('--queue-timeout <ms>', 'with --queue: fail (resumably) when no reply comes, or the stream stays full, this long', '60000')
    .action(async (manifest: string, flags: ScoreFlags) => {
      const batchSize = parseInteger(flags.batchSize, '--batch-size', 1, 1_000_000);
      const bar = flags.progress
        ? new cliProgress.SingleBar(
            { stream: process.stderr, format: 'scoring |{bar}| {percentage}% | {rows} rows | {rate} rows/s', hideCursor: true, etaBuffer: 50 },
            cliProgress.Presets.shades_classic,
          )
        : undefined;
      const timeoutMs = parseInteger(flags.queueTimeout, '--queue-timeout', 100);
      let started = 0;
      let result: ScoreResult;
      // Ctrl-C through the queue stops after the chunk being written; the next run resumes
      const abort = new AbortController();
      const onSignal = () => abort.abort();
      if (flags.queue !== undefined) process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
      try {
        const common = {
          input: flags.input,
          output: flags.output,
          batchSize,
          ...(flags.idColumn !== undefined ? { idColumn: flags.idColumn } : {}),
          skipInvalid: flags.skipInvalid === true,
          signal: abort.signal,
          onProgress: (p: { rows: number; bytesRead: number; totalBytes: number }) => {
            if (!bar) return;
            if (!started) {
              started = performance.now();
              bar.start(p.totalBytes, 0, { rows: 0, rate: 0 });
            }
            bar.update(p.bytesRead, { rows: p.rows, rate: Math.round(p.rows / Math.max(1e-3, (performance.now() - started) / 1000)) });
          },
        };
        result = flags.queue !== undefined ? await scoreCsvQueue(manifest, { ...common, queue: flags.queue, timeoutMs }) : await scoreCsv(manifest, common);
      } catch (err) {
        bar?.stop();
        if (err instanceof ScoreError && err.code === ERROR_CODES.cancelled && flags.queue !== undefined) fail(err.message, 130);
        if (err instanceof QueueError) fail(`${err.code}: ${err.message}${err.hint ? `\n  ${err.hint}` : ''}`, err.exitCode);
        if (err instanceof ScoreError) fail(err.message, err.exitCode);
        failOnLoadError(err);
      } finally {
        process.removeListener('SIGINT', onSignal).removeListener('SIGTERM', onSignal);
      }
      if (bar && started) {
        bar.update(bar.getTotal(), {});
        bar.stop();
      }
      process.stderr.write(`modelgate: ${scoreSummary(result).replace(/\n/g, '\nmodelgate: ')}\n`);
    });
}
