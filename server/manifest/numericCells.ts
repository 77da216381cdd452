// Cells of a CSV's numeric columns that are not numbers, for lint: where the
// first few are (line and character column, 1-based), how many there are,
// and how many rows hold one. Reads at most SCAN_BYTES (exact for files up to
// that size, a sample of the first rows beyond it) and caches by path +
// mtime + size + columns, so the language server scans a file once per change.
import { open, stat } from 'node:fs/promises';
import { numberCellProblem } from './cellValue';

export const SCAN_BYTES = 4 * 1024 * 1024;
/** Bad cells kept per column (the count covers all of them). */
export const MAX_EXAMPLES = 3;

export interface BadCell {
  /** File line, 1-based (the header is line 1). */
  line: number;
  /** Character column of the cell's first character, 1-based. */
  col: number;
  value: string;
  why: string;
}

export interface ColumnScan {
  column: string;
  bad: number;
  first: BadCell[];
}

export interface NumericScan {
  /** Data rows scanned (rows as wide as the header). */
  rows: number;
  /** Rows holding at least one bad cell in the scanned columns. */
  badRows: number;
  /** True when the file is larger than SCAN_BYTES: the counts are of the first rows only. */
  truncated: boolean;
  fileBytes: number;
  /** Scanned columns that hold a bad cell, in the order asked for. */
  columns: ColumnScan[];
}

const cache = new Map<string, { key: string; scan: Promise<NumericScan> }>();
const MAX_CACHED = 64;

/** Scans `columns` of the CSV at `path`; rejects when the file cannot be read (other checks say why). */
export async function scanNumericColumns(path: string, columns: readonly string[], maxBytes = SCAN_BYTES): Promise<NumericScan> {
  const st = await stat(path);
  const key = `${st.mtimeMs}\0${st.size}\0${maxBytes}\0${columns.join('\0')}`;
  const hit = cache.get(path);
  if (hit && hit.key === key) return hit.scan;
  const scan = readAndScan(path, st.size, columns, maxBytes);
  cache.set(path, { key, scan });
  scan.catch(() => cache.delete(path));
  if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value as string);
  return scan;
}

async function readAndScan(path: string, size: number, columns: readonly string[], maxBytes: number): Promise<NumericScan> {
  const fh = await open(path, 'r');
  let buf: Buffer;
  try {
    buf = Buffer.alloc(Math.min(size, maxBytes));
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    buf = buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
  const truncated = size > buf.length;
  let text = buf.toString('utf8');
  // Cut the partial last row of a sample.
  if (truncated) text = text.slice(0, Math.max(0, text.lastIndexOf('\n')));
  return { ...scanText(text, columns), truncated, fileBytes: size };
}

/** The scan of CSV text (exported for tests): RFC 4180 quoting, \n or \r\n line ends, blank lines skipped. */
export function scanText(text: string, columns: readonly string[]): Omit<NumericScan, 'truncated' | 'fileBytes'> {
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let lineStart = i;
  let header: string[] | undefined;
  // file column → position in `columns`, -1 when not scanned
  let wanted = new Int32Array(0);
  const scans: ColumnScan[] = columns.map((column) => ({ column, bad: 0, first: [] }));
  let rows = 0;
  let badRows = 0;
  const fields: string[] = [];
  const pending: { k: number; cell: BadCell }[] = [];
  while (i < n) {
    // One record, starting at i.
    fields.length = 0;
    pending.length = 0;
    let field = 0;
    let firstEmpty = false;
    for (;;) {
      const cellLine = line;
      const col = i - lineStart + 1;
      const k = header ? (field < wanted.length ? wanted[field]! : -1) : -2;
      let value: string | undefined;
      if (text.charCodeAt(i) === 34 /* " */) {
        let out = '';
        let from = ++i;
        for (;;) {
          const q = text.indexOf('"', i);
          if (q < 0) {
            // unclosed quote: the rest of the text is this cell
            out += text.slice(from);
            i = n;
            break;
          }
          for (let c = i; c < q; c++) {
            if (text.charCodeAt(c) === 10) {
              line++;
              lineStart = c + 1;
            }
          }
          if (text.charCodeAt(q + 1) === 34) {
            out += text.slice(from, q + 1);
            i = from = q + 2;
            continue;
          }
          out += text.slice(from, q);
          i = q + 1;
          break;
        }
        // anything between the closing quote and the separator belongs to the cell
        const rest = i;
        i = separatorFrom(text, i);
        value = out + text.slice(rest, i);
      } else {
        const start = i;
        i = separatorFrom(text, i);
        // only the cells looked at are cut out of the text
        if (k !== -1 || field === 0) value = text.slice(start, i);
      }
      if (value !== undefined && value.endsWith('\r') && (i >= n || text.charCodeAt(i) === 10)) value = value.slice(0, -1);
      if (field === 0) firstEmpty = value === '';
      if (k === -2) fields.push(value!);
      else if (k >= 0) {
        const why = numberCellProblem(value);
        if (why) pending.push({ k, cell: { line: cellLine, col, value: value!, why } });
      }
      field++;
      if (i >= n || text.charCodeAt(i) === 10) {
        if (i < n) {
          i++;
          line++;
          lineStart = i;
        }
        break;
      }
      i++; // the comma
    }
    // a blank line is no record (as csv-parse's skip_empty_lines)
    if (field === 1 && firstEmpty) continue;
    if (!header) {
      header = [...fields];
      wanted = new Int32Array(header.length).fill(-1);
      let any = false;
      columns.forEach((c, k) => {
        const at = header!.indexOf(c);
        if (at >= 0) {
          wanted[at] = k;
          any = true;
        }
      });
      if (!any) break;
      continue;
    }
    if (field !== header.length) continue; // ragged: MG202 reports it
    rows++;
    if (pending.length) badRows++;
    for (const { k, cell } of pending) {
      const s = scans[k]!;
      s.bad++;
      if (s.first.length < MAX_EXAMPLES) s.first.push(cell);
    }
  }
  return { rows, badRows, columns: scans.filter((s) => s.bad > 0) };
}

/** Index of the next `,` or `\n` at or after `i`, or the text length. */
function separatorFrom(text: string, i: number): number {
  const n = text.length;
  while (i < n) {
    const ch = text.charCodeAt(i);
    if (ch === 44 || ch === 10) return i;
    i++;
  }
  return n;
}
