// A cheap look at a CSV for validation: the header and the rows in the first
// 64 KB, never more, so a 10 GB dataset costs the same as a small one. Cached
// by path + mtime + size, so the language server can re-validate on every
// keystroke without touching the data again.
import { open, stat } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';

export const PROBE_BYTES = 64 * 1024;

export interface CsvProbe {
  path: string;
  columns: string[];
  /** Data rows seen in the sample. */
  sampledRows: number;
  /** True when the file is longer than the sample. */
  truncated: boolean;
  /** Why the file cannot be used as a dataset; `columns` is empty unless kind is 'ragged'. */
  problem?: { kind: 'empty' | 'binary' | 'unparsable' | 'ragged' | 'no-header' | 'delimiter'; message: string };
}

type InfoRecord = { record: string[]; info: { lines: number } };

const cache = new Map<string, { key: string; probe: Promise<CsvProbe> }>();
const MAX_CACHED = 128;

/**
 * Probes `path`. File-system failures (missing file, permission) reject with
 * the Node error, so callers can say which it was; content problems come back
 * in `problem`.
 */
export async function probeCsv(path: string): Promise<CsvProbe> {
  const st = await stat(path);
  if (st.isDirectory()) {
    const err = new Error(`${path} is a directory`) as NodeJS.ErrnoException;
    err.code = 'EISDIR';
    throw err;
  }
  const key = `${st.mtimeMs}\0${st.size}`;
  const hit = cache.get(path);
  if (hit && hit.key === key) return hit.probe;
  const probe = readProbe(path, st.size);
  cache.set(path, { key, probe });
  probe.catch(() => cache.delete(path));
  if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value as string);
  return probe;
}

async function readProbe(path: string, size: number): Promise<CsvProbe> {
  const fh = await open(path, 'r');
  let buf: Buffer;
  try {
    buf = Buffer.alloc(Math.min(size, PROBE_BYTES));
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    buf = buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
  return probeText(path, buf, size > buf.length);
}

const NAMES: Record<string, string> = { ';': '";" (semicolons)', '\t': 'tabs', '|': '"|"' };

/**
 * A header that is one field but splits on `;`, a tab or `|` into several
 * names: the file is separated by that, not by commas (European Excel
 * writes `;` with decimal commas). The message says so and how to re-save it.
 */
export function delimiterProblem(header: string[]): string | undefined {
  if (header.length !== 1) return undefined;
  for (const d of [';', '\t', '|']) {
    const names = header[0]!.split(d).map((n) => n.trim());
    if (names.length >= 2 && names.every((n) => n !== '')) {
      const shown = names.length > 6 ? `${names.slice(0, 6).join(', ')}, …` : names.join(', ');
      return `is separated by ${NAMES[d]}, not by commas (its header splits into ${names.length} columns: ${shown}): ModelGate reads comma-separated CSV; save it with commas, e.g. pandas \`df.to_csv("file.csv", index=False)\` (read it with \`sep="${d === '\t' ? '\\t' : d}"${d === ';' ? ', decimal=","' : ''}\`), or Excel "CSV UTF-8 (Comma delimited)"`;
    }
  }
  return undefined;
}

/** The probe of a sample (exported for tests). */
export function probeText(path: string, buf: Buffer, truncated: boolean): CsvProbe {
  const base = { path, columns: [] as string[], sampledRows: 0, truncated };
  if (buf.length === 0 || buf.toString('utf8').trim() === '') {
    return { ...base, problem: { kind: 'empty', message: 'is empty: it needs a header row naming the columns, then one row per example' } };
  }
  if (buf.subarray(0, 8192).includes(0)) {
    return {
      ...base,
      problem: { kind: 'binary', message: 'is a binary file, not a CSV text file: export the data as CSV (comma-separated, with a header row)' },
    };
  }
  let text = buf.toString('utf8');
  // Cut a partial last row; a quoted field may still span the cut.
  if (truncated) text = text.slice(0, Math.max(0, text.lastIndexOf('\n')));
  let records: InfoRecord[];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, info: true }) as unknown as InfoRecord[];
  } catch (err) {
    const e = err as Error & { code?: string; lines?: number };
    if (truncated && e.code === 'CSV_QUOTE_NOT_CLOSED') {
      records = headerOnly(text);
    } else {
      const first = e.message.split(':')[0] ?? e.message;
      return {
        ...base,
        problem: {
          kind: 'unparsable',
          message: `cannot be read as CSV${e.lines ? ` at line ${e.lines}` : ''} (${first.toLowerCase()}): check quotes and separators`,
        },
      };
    }
  }
  const header = records[0]?.record ?? [];
  if (header.length === 0) return { ...base, problem: { kind: 'empty', message: 'has no header row: add a first line with the column names' } };
  if (header.every((h) => h.trim() !== '' && !Number.isNaN(Number(h)))) {
    return {
      ...base,
      sampledRows: records.length,
      problem: {
        kind: 'no-header',
        message: `has no header row (the first row is all numbers: ${header.slice(0, 4).join(', ')}${header.length > 4 ? ', …' : ''}): add a first line with the column names`,
      },
    };
  }
  const delimiter = delimiterProblem(header);
  if (delimiter) return { ...base, columns: header, sampledRows: records.length - 1, problem: { kind: 'delimiter', message: delimiter } };
  const columns = header;
  for (let r = 1; r < records.length; r++) {
    const rec = records[r]!;
    if (rec.record.length !== header.length) {
      return {
        ...base,
        columns,
        sampledRows: records.length - 1,
        problem: {
          kind: 'ragged',
          message: `line ${rec.info.lines} has ${rec.record.length} field${rec.record.length === 1 ? '' : 's'} but the header has ${header.length}: every row needs one value per column (quote values that contain commas)`,
        },
      };
    }
  }
  return { ...base, columns, sampledRows: records.length - 1 };
}

function headerOnly(text: string): InfoRecord[] {
  try {
    return parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, info: true, to_line: 1 }) as unknown as InfoRecord[];
  } catch {
    return [];
  }
}
