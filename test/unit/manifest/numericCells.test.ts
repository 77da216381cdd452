// MG212: cells that are not numbers in a column the model takes as a number.
// The scanner on hand-written CSV text, and the diagnostic on small projects
// in a temp dir (hand-built ONNX identity models).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { scanNumericColumns, scanText } from '../../../server/manifest/numericCells';
import { check, expectAt, expectFriendly, expectNone, markerLine, show } from './manifestFixture';
import { identityModel } from './onnxFixture';

const root = mkdtempSync(join(tmpdir(), 'mg-numeric-cells-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

function project(files: Record<string, string | Buffer>): string {
  const dir = join(root, `p${n++}`);
  for (const [name, body] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), body);
  }
  return dir;
}

describe('scanText', () => {
  test('line and character column of the first bad cells, the count, and rows holding one', () => {
    const s = scanText('id,a,b\nx,1,2\ny,n/a,3\nz,,4\nw,5,oops\nv,NaN,7\n', ['a', 'b']);
    assert.equal(s.rows, 5);
    assert.equal(s.badRows, 4);
    assert.deepEqual(
      s.columns.map((c) => [c.column, c.bad]),
      [
        ['a', 3],
        ['b', 1],
      ],
    );
    assert.deepEqual(s.columns[0]!.first, [
      { line: 3, col: 3, value: 'n/a', why: 'marked missing, not a number' },
      { line: 4, col: 3, value: '', why: 'empty cell' },
      { line: 6, col: 3, value: 'NaN', why: 'marked missing, not a number' },
    ]);
    assert.deepEqual(s.columns[1]!.first, [{ line: 5, col: 5, value: 'oops', why: 'not a number' }]);
  });

  test('quotes, CRLF, a BOM, blank lines and cells spanning lines keep lines exact', () => {
    const s = scanText('\ufeff"note",a\r\n"one, two",1\r\n\r\n"three\nlines",x\r\n"q ""x""","2"\r\n', ['a']);
    assert.equal(s.rows, 3);
    assert.deepEqual(s.columns[0]!.first, [{ line: 5, col: 8, value: 'x', why: 'not a number' }]);
  });

  test('ragged rows (MG202) and columns not in the file (MG204) are left to their own checks', () => {
    const s = scanText('a,b\n1\nx,2\n', ['a', 'missing']);
    assert.equal(s.rows, 1);
    assert.deepEqual(
      s.columns.map((c) => [c.column, c.bad, c.first[0]!.line]),
      [['a', 1, 3]],
    );
    assert.deepEqual(scanText('c,d\n1,2\n', ['a']).columns, []);
  });

  test('a file larger than the budget is scanned as a sample of its first rows, and says so', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => (i === 5 ? 'n/a,1' : `${i},1`));
    const dir = project({ 'big.csv': ['a,b', ...rows].join('\n') + '\n' });
    const s = await scanNumericColumns(join(dir, 'big.csv'), ['a'], 4096);
    assert.equal(s.truncated, true);
    assert.ok(s.rows > 100 && s.rows < 2000, String(s.rows));
    assert.deepEqual(s.columns[0]!.first[0], { line: 7, col: 1, value: 'n/a', why: 'marked missing, not a number' });
    const whole = await scanNumericColumns(join(dir, 'big.csv'), ['a']);
    assert.deepEqual([whole.truncated, whole.rows, whole.badRows], [false, 2000, 1]);
  });
});

function manifest(extra = '', features = '[a, b]', shape = 2): string {
  return `apiVersion: modelgate/v1
kind: Model
metadata:
  name: demo
  version: 1.0.0
model:
  artifact: model.onnx
  task: classification
  classLabels: [neg, pos]
signature:
  inputs:
    - name: features
      dtype: float32
      shape: [batch, ${shape}]
      features: ${features}
  outputs:
    - name: probabilities
      dtype: float32
      shape: [batch, ${shape}]
${extra}data:
  labelColumn: y
  validation:
    - path: data/validation.csv  #!
  current: data/current.csv
`;
}

const rows = (k: number, bad: (i: number) => boolean) => Array.from({ length: k }, (_, i) => `${bad(i) ? 'n/a' : i},${i},${i % 2}`);

describe('MG212', () => {
  test('51 of 54 rows with n/a in a feature: an error at the dataset path naming file:line:col and the count', async () => {
    const dir = project({
      'model.onnx': identityModel(2),
      'data/validation.csv': ['a,b,y', ...rows(54, (i) => i >= 3)].join('\n') + '\n',
      'data/current.csv': 'a,b,y\n1,2,0\n',
    });
    const text = manifest();
    const diags = await check(text, { semantic: true, dir });
    const d = expectAt(diags, 'MG212', markerLine(text));
    assert.equal(d.severity, 'error');
    assert.match(
      d.message,
      /^data\.validation\[0\]\.path "data\/validation\.csv": column "a" is not a number in 51 of 54 rows: data\/validation\.csv:5:1 "n\/a" \(marked missing, not a number\), data\/validation\.csv:6:1 "n\/a", data\/validation\.csv:7:1 "n\/a" and 48 more\./,
    );
    assert.match(d.message, /signature\.inputs\[0\]\.features/);
    assert.match(d.message, /above data\.maxDroppedShare = 0\.01 \(default\): metrics\.data\.validation\.droppedShare fails/);
    assert.match(d.message, /To fix: fill in or impute the values/);
    assert.equal(diags.filter((x) => x.code === 'MG212').length, 1, show(diags));
    expectFriendly(diags);
  });

  test('within data.maxDroppedShare it is a warning; a clean file has none', async () => {
    const dir = project({
      'model.onnx': identityModel(2),
      'data/validation.csv': ['a,b,y', ...rows(200, (i) => i === 7)].join('\n') + '\n',
      'data/current.csv': 'a,b,y\n1,2,0\n',
    });
    const text = manifest();
    const d = expectAt(await check(text, { semantic: true, dir }), 'MG212', markerLine(text));
    assert.equal(d.severity, 'warning');
    assert.match(d.message, /within data\.maxDroppedShare = 0\.01 \(default\)/);
    const strict = manifest().replace('\ndata:\n', '\ndata:\n  maxDroppedShare: 0\n');
    assert.equal(expectAt(await check(strict, { semantic: true, dir }), 'MG212', markerLine(strict)).severity, 'error');
    const clean = project({
      'model.onnx': identityModel(2),
      'data/validation.csv': ['a,b,y', ...rows(20, () => false)].join('\n') + '\n',
      'data/current.csv': 'a,b,y\n1,2,0\n',
    });
    expectNone(await check(manifest(), { semantic: true, dir: clean }), 'MG212');
  });

  test('a categorical column fed through onehot holds words, not numbers: not reported', async () => {
    const onehot = 'preprocessing:\n  - op: onehot\n    column: color\n    categories: [red, blue]\n';
    const dir = project({
      'model.onnx': identityModel(3),
      'data/validation.csv': 'a,color,y\n1,red,0\n2,blue,1\n3,n/a,0\n',
      'data/current.csv': 'a,color,y\n1,red,0\n',
    });
    const diags = await check(manifest(onehot, '[a, color]', 3), { semantic: true, dir });
    expectNone(diags, 'MG212');
  });

  test('without semantic checks no file is read', async () => {
    const dir = project({ 'model.onnx': identityModel(2), 'data/validation.csv': 'a,b,y\nx,1,0\n', 'data/current.csv': 'a,b,y\n1,2,0\n' });
    expectNone(await check(manifest(), { semantic: false, dir }), 'MG212');
  });
});
