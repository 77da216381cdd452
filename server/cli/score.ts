// `modelgate score <manifest> --input data.csv --output predictions.csv`:
// bulk scoring through the serving path (same servable, same adaptive
// batcher), streaming the CSV in and the predictions out.
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { once } from 'node:events';
import { unlink } from 'node:fs/promises';
import { parse } from 'csv-parse';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { rawRowsFromCells } from '../manifest/processing';
import { loadServable } from '../serving/loadServable';
import { ServingMetrics } from '../serving/metrics';
import { predictionColumns } from '../serving/predictionColumns';
import type { Servable } from '../serving/servable';
import { fail } from './exit';
import { failOnLoadError, parseInteger } from './serve';

function csvField(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

interface ScoreFlags {
  input: string;
  output: string;
  batchSize: string;
  idColumn?: string;
  progress: boolean;
}

export function registerScore(program: Command): void {
  program
    .command('score')
    .description('Score a CSV file with a model through the serving path (adaptive batching, the manifest\'s pre/post-processing)')
    .argument('<manifest>', 'model.yaml, or a directory holding it')
    .requiredOption('--input <csv>', 'CSV with a header row holding the model\'s feature columns')
    .requiredOption('--output <csv>', 'where to write the predictions')
    .option('--batch-size <n>', 'rows per inference', '256')
    .option('--id-column <name>', 'input column copied to the output to identify rows (default: "id" if present, else a 1-based "row" number)')
    .option('--no-progress', 'no progress bar')
    .action(async (manifest: string, flags: ScoreFlags) => {
      const batchSize = parseInteger(flags.batchSize, '--batch-size', 1, 1_000_000);
      let size = 0;
      try { size = statSync(flags.input).size; } catch (err) { fail(`cannot read --input ${flags.input}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : (err as Error).message}`); }
      let servable: Servable;
      try {
        servable = await loadServable(manifest, { metrics: new ServingMetrics({ defaultMetrics: false }), maxInstancesPerRequest: Infinity });
      } catch (err) {
        failOnLoadError(err);
      }
      const plan = servable.plan;
      const cols = predictionColumns(servable);
      const source = createReadStream(flags.input);
      const parser = source.pipe(parse({ bom: true, skip_empty_lines: true, relax_column_count: false }));
      const sink = createWriteStream(flags.output);
      const write = async (text: string) => { if (!sink.write(text)) await once(sink, 'drain'); };
      const bar = flags.progress
        ? new cliProgress.SingleBar({ stream: process.stderr, format: 'scoring |{bar}| {percentage}% | {rows} rows | {rate} rows/s', hideCursor: true, etaBuffer: 50 }, cliProgress.Presets.shades_classic)
        : undefined;
      const started = performance.now();
      let header: string[] | undefined;
      let columnIndex = new Map<string, number>();
      let idIndex = -1;
      let idName = 'row';
      let batch: string[][] = [];
      let lines: number[] = [];
      let rows = 0;
      const flush = async () => {
        if (batch.length === 0) return;
        const raw = rawRowsFromCells(plan, batch, (f) => columnIndex.get(f)!);
        raw.forEach((arr, k) => {
          const w = plan.inputs[k]!.rawWidth;
          for (let i = 0; i < arr.length; i++) {
            if (arr[i] !== arr[i] && plan.inputs[k]!.categorical.get(i % w) === undefined) {
              const r = Math.floor(i / w);
              const feature = plan.inputs[k]!.features[i % w]!;
              const cell = batch[r]![columnIndex.get(feature)!];
              throw new Error(`${flags.input}:${lines[r]}: column "${feature}" is ${JSON.stringify(cell)}, not a number; fix or drop the row (the model cannot score missing values)`);
            }
          }
        });
        const slice = await servable.predict(raw, batch.length);
        let text = '';
        for (let r = 0; r < batch.length; r++) {
          const id = idIndex >= 0 ? batch[r]![idIndex]! : String(rows + r + 1);
          text += [id, ...cols.row(servable, slice.out, slice.offset + r)].map(csvField).join(',') + '\n';
        }
        await write(text);
        rows += batch.length;
        batch = [];
        lines = [];
        bar?.update(source.bytesRead, { rows, rate: Math.round(rows / ((performance.now() - started) / 1000)) });
      };
      try {
        bar?.start(size, 0, { rows: 0, rate: 0 });
        let line = 0;
        for await (const record of parser as AsyncIterable<string[]>) {
          line++;
          if (!header) {
            header = record;
            columnIndex = new Map(header.map((c, i) => [c, i]));
            const missing = plan.inputs.flatMap((i) => i.features).filter((f) => !columnIndex.has(f));
            if (missing.length) throw new Error(`${flags.input} lacks the model's feature column(s): ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''}; its columns are: ${header.slice(0, 20).join(', ')}`);
            if (flags.idColumn !== undefined) {
              idIndex = header.indexOf(flags.idColumn);
              if (idIndex < 0) throw new Error(`--id-column ${flags.idColumn} is not a column of ${flags.input}; its columns are: ${header.slice(0, 20).join(', ')}`);
              idName = flags.idColumn;
            } else if (header.includes('id')) {
              idIndex = header.indexOf('id');
              idName = 'id';
            }
            await write([idName, ...cols.header].map(csvField).join(',') + '\n');
            continue;
          }
          batch.push(record);
          lines.push(line);
          if (batch.length >= batchSize) await flush();
        }
        await flush();
        if (!header) throw new Error(`${flags.input} is empty: it needs a header row and data rows`);
      } catch (err) {
        bar?.stop();
        // no half-written predictions file left behind
        sink.on('error', () => undefined);
        sink.destroy();
        await unlink(flags.output).catch(() => undefined);
        await servable.unload();
        const e = err as Error & { lines?: number };
        fail(e.message.startsWith(flags.input) ? e.message : `cannot score ${flags.input}${e.lines ? ` (line ${e.lines})` : ''}: ${e.message}`, 2);
      }
      bar?.update(size, { rows, rate: Math.round(rows / ((performance.now() - started) / 1000)) });
      bar?.stop();
      sink.end();
      await once(sink, 'finish');
      await servable.unload();
      const secs = (performance.now() - started) / 1000;
      process.stderr.write(`modelgate: scored ${rows} rows with ${servable.name} ${servable.version} in ${secs.toFixed(2)} s (${Math.round(rows / secs)} rows/s) → ${flags.output}\n`);
    });
}
