// Bulk scoring through the queue: the CSV goes to the model's request stream
// in chunks of batchSize rows (v2 infer requests, binary FP64 tensors), the
// serving nodes answer on a reply stream of this run, and the predictions are
// written in input order, in the same columns and bytes as in-process
// scoring. At most `window` chunks are unanswered at once. Progress is kept
// beside the output (<output>.partial and <output>.queue-state.json) after
// every chunk written, so an interrupted run (Ctrl-C, a lost connection, a
// timeout) resumes where it stopped when the same command runs again:
// replies already on the reply stream are used, the rest is sent again,
// and duplicate replies are dropped by request id.
import { createReadStream } from 'node:fs';
import { open, readFile, rename, stat, truncate, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse } from 'csv-parse';
import { loadManifest } from '../manifest/load';
import { artifactPath, planFor } from '../manifest/predict';
import { rawRowsFromCells, type ProcessingPlan } from '../manifest/processing';
import { ERROR_CODES } from '../protocol/errors';
import { createSession } from '../runtime/onnx';
import { predictionColumns, v2ResponseOutputs } from '../serving/predictionColumns';
import { QueueClient, QueueError } from '../serving/queue/queueClient';
import { QUEUE_DEFAULTS } from '../serving/queue/settings';
import type { QueueReply } from '../serving/queue/streams';
import { csvField, DEFAULT_BATCH_SIZE, inputColumns, invalidCell, ScoreError, type ScoreOptions, type ScoreResult } from './score';

export interface QueueScoreOptions extends ScoreOptions {
  /** Redis URL (default: the manifest's serving.queue.url). */
  queue?: string;
  /** No reply for this long, or no room in the stream, fails the run (resumable); default 60 s. */
  timeoutMs?: number;
  /** Most chunks sent and not yet written (default 64). */
  window?: number;
}

export interface QueueScoreResult extends ScoreResult {
  /** Rows taken from an earlier, interrupted run of the same command. */
  resumedRows: number;
  /** Replies dropped because their chunk was already answered (after a claim, or a resume). */
  duplicates: number;
  /** Consumers that answered. */
  nodes: string[];
}

interface RunState {
  format: 1;
  key: string;
  run: string;
  /** Chunks written to the partial output, in order. */
  chunks: number;
  rows: number;
  bytes: number;
  skipped: ScoreResult['skipped'];
}

const STATE_SUFFIX = '.queue-state.json';
const PARTIAL_SUFFIX = '.partial';
const FIRST_SKIPPED = 10;
const SAVE_EVERY_MS = 250;

/** The plan the serving nodes use: the manifest compiled against its ONNX file's signature. */
async function planOf(manifestPath: string): Promise<{ plan: ProcessingPlan; name: string; version: string; url?: string; maxLength?: number }> {
  const loaded = await loadManifest(manifestPath, { semantic: false });
  const session = await createSession(artifactPath(loaded));
  try {
    const m = loaded.manifest;
    return {
      plan: planFor(loaded, session),
      name: m.metadata.name,
      version: m.metadata.version,
      url: m.serving?.queue?.url,
      maxLength: m.serving?.queue?.maxLength,
    };
  } finally {
    await session.release();
  }
}

/** One chunk as a v2 infer request: binary FP64 tensors, or JSON where an input has categorical columns (sent as their text). */
function requestBody(
  plan: ProcessingPlan,
  id: string,
  raw: Float64Array[],
  records: string[][],
  columnIndex: Map<string, number>,
): { body: Buffer; headerLength?: number } {
  const n = records.length;
  if (plan.inputs.every((i) => i.categorical.size === 0)) {
    const inputs = plan.inputs.map((input, k) => ({
      name: input.name,
      shape: [n, input.rawWidth],
      datatype: 'FP64',
      parameters: { binary_data_size: raw[k]!.byteLength },
    }));
    const head = Buffer.from(JSON.stringify({ id, inputs }));
    return { body: Buffer.concat([head, ...raw.map((r) => Buffer.from(r.buffer, r.byteOffset, r.byteLength))]), headerLength: head.length };
  }
  const inputs = plan.inputs.map((input, k) => {
    const w = input.rawWidth;
    const data: (number | string)[] = new Array(n * w);
    for (let r = 0; r < n; r++)
      for (let c = 0; c < w; c++) data[r * w + c] = input.categorical.has(c) ? records[r]![columnIndex.get(input.features[c]!)!]! : raw[k]![r * w + c]!;
    return { name: input.name, shape: [n, w], datatype: input.categorical.size ? 'BYTES' : 'FP64', data };
  });
  return { body: Buffer.from(JSON.stringify({ id, inputs })) };
}

async function readState(path: string): Promise<RunState | undefined> {
  try {
    const s = JSON.parse(await readFile(path, 'utf8')) as RunState;
    return s.format === 1 ? s : undefined;
  } catch {
    return undefined;
  }
}

interface Chunk {
  ids: string[];
  firstLine: number;
  text?: string;
}

/**
 * Scores `opts.input` through the queue and writes `opts.output`. Data
 * problems throw ScoreError (as in-process scoring does) and leave nothing
 * behind; queue problems throw QueueError, and a cancelled run ScoreError
 * (cancelled), both keeping the progress for a resume.
 */
export async function scoreCsvQueue(manifestPath: string, opts: QueueScoreOptions): Promise<QueueScoreResult> {
  const { input, output } = opts;
  const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ScoreError('MG202', `batch size ${batchSize} is not a positive whole number`);
  const window = opts.window ?? 64;
  const timeoutMs = opts.timeoutMs ?? 60_000;
  let info;
  try {
    info = await stat(input);
  } catch (err) {
    throw new ScoreError(
      'MG201',
      `cannot read ${input}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : (err as Error).message}`,
    );
  }
  const model = await planOf(manifestPath);
  const url = opts.queue ?? model.url;
  if (!url)
    throw new QueueError(
      'MG360',
      `no queue to score through: ${manifestPath} has no serving.queue.url`,
      'Give the Redis URL with --queue redis://host:port, or set serving.queue.url in the manifest.',
    );
  const { plan } = model;
  const cols = predictionColumns(plan);
  const statePath = output + STATE_SUFFIX;
  const partialPath = output + PARTIAL_SUFFIX;
  // the same command on the same, unchanged input resumes
  const key = JSON.stringify([resolve(input), info.size, info.mtimeMs, model.name, model.version, batchSize, opts.idColumn ?? null, !!opts.skipInvalid]);
  const previous = await readState(statePath);
  const partialSize = await stat(partialPath).then(
    (s) => s.size,
    () => -1,
  );
  const resuming = previous !== undefined && previous.key === key && partialSize >= previous.bytes;
  const state: RunState = resuming ? previous : { format: 1, key, run: '', chunks: 0, rows: 0, bytes: 0, skipped: { count: 0, first: [] } };
  const client = await QueueClient.connect({
    url,
    model: model.name,
    ...(resuming ? { run: state.run } : {}),
    maxLength: model.maxLength ?? QUEUE_DEFAULTS.maxLength,
    timeoutMs,
  });
  state.run = client.run;
  const resumedRows = resuming ? state.rows : 0;
  const started = performance.now();
  const source = createReadStream(input);
  const chunks = new Map<number, Chunk>();
  /** Replies seen before their chunk was read again (on resume). */
  const early = new Map<number, QueueReply>();
  const nodes = new Set<string>();
  let duplicates = 0;
  let sink: FileHandle | undefined;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const poke = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  let lastRead = state.chunks - 1;
  let reading = true;

  // one writer at a time: chunks go out in order, then the state that says so
  let writing: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> =>
    (writing = writing.then(async () => {
      let wrote = false;
      for (let c = chunks.get(state.chunks); c?.text !== undefined; c = chunks.get(state.chunks)) {
        const buf = Buffer.from(c.text);
        await sink!.write(buf);
        chunks.delete(state.chunks);
        state.bytes += buf.length;
        state.rows += c.ids.length;
        state.chunks++;
        wrote = true;
      }
      if (!wrote) return;
      // the state says how much of the partial output is good: saved a few times a second (and when the run stops), not per request
      if (performance.now() - savedAt > SAVE_EVERY_MS) await save();
      opts.onProgress?.({ rows: state.rows, bytesRead: source.bytesRead, totalBytes: info.size });
      poke();
    }));
  let savedAt = performance.now();
  const save = async () => {
    await sink!.datasync();
    // whole or not at all: a run killed while saving resumes from the state before
    await writeFile(statePath + '.tmp', JSON.stringify(state));
    await rename(statePath + '.tmp', statePath);
    savedAt = performance.now();
  };

  const chunkOf = (id: string): number => (id.startsWith(client.run + ':') ? Number(id.slice(client.run.length + 1)) : -1);
  /** Takes a reply for its chunk; true when it was new. */
  const take = (reply: QueueReply): boolean => {
    const k = chunkOf(reply.id);
    if (!Number.isInteger(k) || k < 0) return false;
    const c = chunks.get(k);
    if (k < state.chunks || c?.text !== undefined) {
      duplicates++;
      return false;
    }
    if (!c) {
      if (reply.status === 200) early.set(k, reply);
      return false;
    }
    if (reply.status !== 200)
      throw new ScoreError(
        reply.code ?? 'MG345',
        `${input}:${c.firstLine}: the rows of the request starting at this line were refused by node ${reply.node}: ${reply.code ?? ''} ${reply.error ?? ''}`.trim(),
      );
    nodes.add(reply.node);
    const response = JSON.parse(reply.body!.toString('utf8', 0, reply.headerLength ?? reply.body!.length)) as unknown;
    const list = v2ResponseOutputs(response);
    let text = '';
    for (let r = 0; r < c.ids.length; r++) text += [c.ids[r]!, ...cols.rowOf(list, r)].map(csvField).join(',') + '\n';
    c.text = text;
    return true;
  };

  const collect = async () => {
    let last = Date.now();
    while (!failure) {
      if (opts.signal?.aborted) throw new ScoreError(ERROR_CODES.cancelled, 'cancelled');
      if (!reading && state.chunks > lastRead) return;
      let fresh = false;
      for (const reply of await client.nextReplies(200)) fresh = take(reply) || fresh;
      if (fresh) {
        last = Date.now();
        await flush();
      } else if (lastRead >= state.chunks && Date.now() - last > timeoutMs) {
        throw await client.timeout(lastRead + 1 - state.chunks);
      }
    }
  };

  try {
    if (resuming) await truncate(partialPath, state.bytes);
    sink = await open(partialPath, resuming ? 'a' : 'w');
    // replies of the earlier run already on the reply stream: read before sending anything again
    for (let r = await client.nextReplies(0); r.length; r = await client.nextReplies(0)) for (const reply of r) take(reply);
    let collector: Promise<void> | undefined;
    const parser = source.pipe(parse({ bom: true, skip_empty_lines: true, relax_column_count: false, info: true }));
    let header: string[] | undefined;
    let columnIndex = new Map<string, number>();
    let idIndex = -1;
    let idName = 'row';
    let records: string[][] = [];
    let lines: number[] = [];
    let ids: string[] = [];
    let k = -1;
    let rowsRead = 0;
    const send = async () => {
      if (records.length === 0) return;
      const chunk = ++k;
      const batch = records;
      const batchIds = ids;
      const batchLines = lines;
      records = [];
      lines = [];
      ids = [];
      if (chunk < state.chunks) return; // written before the interruption
      let raw = rawRowsFromCells(plan, batch, (f) => columnIndex.get(f)!);
      const bad: number[] = [];
      for (let r = 0; r < batch.length; r++) {
        const why = invalidCell(plan, raw, r, batch[r]!, columnIndex);
        if (!why) continue;
        if (!opts.skipInvalid)
          throw new ScoreError(
            'MG212',
            `${input}:${batchLines[r]}: ${why}; fix or drop the row (the model cannot score missing values)`,
            'Fix the cell, or leave such rows out (modelgate score --skip-invalid).',
          );
        bad.push(r);
        state.skipped.count++;
        if (state.skipped.first.length < FIRST_SKIPPED) state.skipped.first.push({ line: batchLines[r]!, reason: why });
      }
      const keep = (_: unknown, r: number) => !bad.includes(r);
      const good = bad.length ? batch.filter(keep) : batch;
      if (bad.length) raw = rawRowsFromCells(plan, good, (f) => columnIndex.get(f)!);
      const c: Chunk = { ids: bad.length ? batchIds.filter(keep) : batchIds, firstLine: batchLines[0]! };
      chunks.set(chunk, c);
      lastRead = chunk;
      const waiting = early.get(chunk);
      early.delete(chunk);
      if (good.length === 0) c.text = '';
      else if (waiting) take(waiting);
      if (c.text !== undefined) return flush();
      while (!failure && chunk - state.chunks >= window) await new Promise<void>((r) => (wake = r));
      if (failure) throw failure;
      if (opts.signal?.aborted) throw new ScoreError(ERROR_CODES.cancelled, 'cancelled');
      const id = `${client.run}:${chunk}`;
      // the manifest's version, as in-process scoring uses it: a node serving another version answers MG322, not other predictions
      await client.enqueue([{ id, version: model.version, ...requestBody(plan, id, raw, good, columnIndex) }]);
    };
    for await (const { record, info: at } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (failure) throw failure;
      if (!header) {
        header = record;
        ({ columnIndex, idIndex, idName } = inputColumns(plan, header, input, opts.idColumn));
        if (!resuming) {
          const text = [idName, ...cols.header].map(csvField).join(',') + '\n';
          await sink.write(text);
          state.bytes += Buffer.byteLength(text);
        }
        collector = collect().catch((err: unknown) => {
          failure = err;
          poke();
        });
        continue;
      }
      rowsRead++;
      records.push(record);
      lines.push(at.lines);
      ids.push(idIndex >= 0 ? record[idIndex]! : String(rowsRead));
      if (records.length >= batchSize) await send();
    }
    await send();
    if (!header) throw new ScoreError('MG202', `${input} is empty: it needs a header row and data rows`);
    reading = false;
    await collector;
    if (failure) throw failure;
    await flush();
    await sink.close();
    sink = undefined;
    await rename(partialPath, output);
    await unlink(statePath).catch(() => undefined);
    await client.removeReplies().catch(() => undefined);
    await client.close();
    return {
      model: { name: model.name, version: model.version },
      input,
      output,
      columns: [idName, ...cols.header],
      rows: state.rows,
      skipped: state.skipped,
      seconds: (performance.now() - started) / 1000,
      resumedRows,
      duplicates,
      nodes: [...nodes].sort(),
    };
  } catch (err) {
    failure ??= err;
    poke();
    source.destroy();
    await writing.catch(() => undefined);
    const e = failure;
    const resumable = e instanceof QueueError || (e instanceof ScoreError && e.code === ERROR_CODES.cancelled);
    if (resumable && sink) await save().catch(() => undefined);
    await sink?.close().catch(() => undefined);
    if (!resumable) {
      // a data problem: the same command would fail the same way
      await unlink(partialPath).catch(() => undefined);
      await unlink(statePath).catch(() => undefined);
      await client.removeReplies().catch(() => undefined);
    }
    await client.close();
    if (resumable) {
      const done = `${state.rows} row(s) are written to ${partialPath}; run the same command again to resume from there`;
      if (e instanceof QueueError) throw new QueueError(e.code, `${e.message}; ${done}`, e.hint);
      throw new ScoreError(ERROR_CODES.cancelled, `scoring ${input} through the queue was interrupted; ${done}`);
    }
    if (e instanceof ScoreError) throw e;
    const x = e as Error & { lines?: number };
    throw new ScoreError('MG202', `cannot score ${input}${x.lines ? ` (line ${x.lines})` : ''}: ${x.message}`);
  }
}
