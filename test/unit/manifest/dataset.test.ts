// readTable's direct reader for plain files must give exactly what csv-parse
// gives, and hand quoted, ragged or odd files to csv-parse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { DatasetError, numericColumn, numericMatrix, readTable, type Table } from '../../../server/manifest/dataset';
import { probeText } from '../../../server/manifest/csvProbe';
import { readColumn, readTableColumn } from '../../../server/modeltests/staleness/columnValues';
import { sortFloat64 } from '../../../server/modeltests/staleness/sortFloat64';

async function withFile(text: string, fn: (path: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'modelgate-dataset-'));
  try {
    const path = join(dir, 'data.csv');
    await writeFile(path, text);
    await fn(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const viaCsvParse = (text: string) => parse(text, { bom: true, skip_empty_lines: true }) as string[][];

test('plain files read to the same cells as csv-parse, with BOM, CRLF, blank lines and odd cells', async () => {
  const text = '\ufeffa,b,label\r\n1, 2 ,x\r\n\r\n-0,,y\r\nna,1e3,z\r\n0x10,Infinity, w \r\n';
  await withFile(text, async (path) => {
    const t = await readTable(path);
    const ref = viaCsvParse(text);
    assert.deepEqual([t.columns, ...t.rows], ref);
    assert.deepEqual(t.columns, ['a', 'b', 'label']);
    assert.equal(t.rows.length, 4);
  });
});

test('quoted and ragged files go through csv-parse (its cells, its errors)', async () => {
  await withFile('a,b\n"1,5",2\n3,4\n', async (path) => {
    const t = await readTable(path);
    assert.deepEqual(t.rows, [
      ['1,5', '2'],
      ['3', '4'],
    ]);
  });
  await withFile('a,b\n1,2\n3\n', async (path) => {
    await assert.rejects(readTable(path), (e: unknown) => e instanceof DatasetError && /line 3/.test((e as Error).message));
  });
});

test('maxRows stops after that many data rows', async () => {
  await withFile('a,b\n1,2\n3,4\n5,6\n', async (path) => {
    const t = await readTable(path, { maxRows: 2 });
    assert.deepEqual(t.rows, [
      ['1', '2'],
      ['3', '4'],
    ]);
    assert.deepEqual(Array.from(numericColumn(t, 0)), [1, 3]);
  });
});

test('numeric columns are Number(cell), NaN for blank cells, the same for read and built tables', async () => {
  const text = 'a,b\n1.5, \n,2\nna,-0\n0x10,1e-3\n';
  await withFile(text, async (path) => {
    const read = await readTable(path);
    const built: Table = { path, columns: ['a', 'b'], rows: read.rows.map((r) => [...r]) };
    for (const t of [read, built]) {
      assert.deepEqual(Array.from(numericColumn(t, 0)), [1.5, Number.NaN, Number.NaN, 16]);
      assert.ok(Object.is(numericColumn(t, 1)[2], -0));
      assert.deepEqual(Array.from(numericMatrix(t, ['b', 'a'])), [Number.NaN, 1.5, 2, Number.NaN, -0, Number.NaN, 0.001, 16]);
    }
  });
});

test('drift columns from the numeric cache equal the cell-by-cell reading', async () => {
  const text = 'x,y,z\n3,NA,a\n1,2,b\n,5,1\n2,null,c\n-0,0,2\n';
  await withFile(text, async (path) => {
    const t = await readTable(path);
    for (let c = 0; c < 3; c++) assert.deepEqual(readTableColumn(t, c), readColumn(t.rows, c), `column ${c}`);
    assert.deepEqual(Array.from(readTableColumn(t, 0).numeric!), [-0, 1, 2, 3]);
    assert.equal(readTableColumn(t, 1).missing, 2);
    assert.deepEqual(readTableColumn(t, 2).text, ['a', 'b', '1', 'c', '2']);
  });
});

test('the radix sort orders like Float64Array.prototype.sort, -0 before 0, tiny and huge values', () => {
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (const n of [10, 5000, 70000]) {
    const a = new Float64Array(n);
    for (let i = 0; i < n; i++) a[i] = (next() - 0.5) * 10 ** Math.floor(next() * 40 - 20);
    a[0] = -0;
    a[1] = 0;
    a[2] = -Number.MAX_VALUE;
    a[3] = Number.MIN_VALUE;
    a[4] = -Number.MIN_VALUE;
    if (n > 5) a[5] = a[6]!;
    const expected = a.slice().sort();
    const got = sortFloat64(a);
    assert.equal(got, a, 'sorts in place');
    for (let i = 0; i < n; i++) assert.ok(Object.is(got[i], expected[i]), `n=${n} index ${i}: ${got[i]} vs ${expected[i]}`);
  }
});

test('a file separated by semicolons, tabs or "|" is refused with the separator named and how to re-save it, by the reader and by lint', async () => {
  const cases: [string, RegExp][] = [
    // European Excel: ";" between fields, "," as the decimal mark (rows then split into more fields than the header)
    [
      'x1;x2;x3;target\n1,5;2;3;0\n4;5;6,25;1\n',
      /separated by ";" \(semicolons\), not by commas \(its header splits into 4 columns: x1, x2, x3, target\).*`sep=";", decimal=","`/,
    ],
    ['x1\tx2\ttarget\n1\t2\t0\n', /separated by tabs, not by commas \(its header splits into 3 columns: x1, x2, target\).*`sep="\\t"`/],
    ['a|b\n1|2\n', /separated by "\|"/],
  ];
  for (const [text, re] of cases) {
    await withFile(text, async (path) => {
      await assert.rejects(readTable(path), (err: Error) => err instanceof DatasetError && re.test(err.message) && /df\.to_csv/.test(err.message));
    });
    const probe = probeText('data.csv', Buffer.from(text), false);
    assert.equal(probe.problem?.kind, 'delimiter');
    assert.match(probe.problem!.message, re);
  }
  // a real one-column CSV stays fine, and so does a comma file whose values hold ";"
  await withFile('label\na\nb\n', async (path) => assert.deepEqual((await readTable(path)).columns, ['label']));
  await withFile('note,y\n"a;b",1\n', async (path) => assert.deepEqual((await readTable(path)).columns, ['note', 'y']));
});
