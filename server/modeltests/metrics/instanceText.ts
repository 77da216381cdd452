// The JSON text of each row's instance, built from the CSV's own cell text
// when every cell is already a valid JSON number. Formatting 3 million
// doubles back into text costs ~5× more than joining the cells, and a JSON
// number parses to exactly the double Number(cell) gave the in-process path,
// so served and in-process predictions still see identical inputs.
import type { Table } from '../../manifest/dataset';
import type { ProcessingPlan } from '../../manifest/processing';

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * One instance text per evaluated row (`rowIndex[i]` = its table row), or
 * undefined when the model has several inputs or categorical columns (the
 * numeric fallback in predictOverHttp then formats the values).
 */
export function instanceTexts(plan: ProcessingPlan, table: Table, rowIndex: Int32Array, inputs: Float64Array[]): string[] | undefined {
  if (plan.inputs.length !== 1 || plan.inputs[0]!.categorical.size > 0) return undefined;
  const input = plan.inputs[0]!;
  const cols = input.features.map((f) => table.columns.indexOf(f));
  if (cols.some((c) => c < 0)) return undefined;
  const w = input.rawWidth;
  const values = inputs[0]!;
  const out = new Array<string>(rowIndex.length);
  const cells = new Array<string>(w);
  for (let i = 0; i < rowIndex.length; i++) {
    const row = table.rows[rowIndex[i]!]!;
    let ok = true;
    for (let c = 0; c < w; c++) {
      const cell = row[cols[c]!]!;
      if (!JSON_NUMBER.test(cell)) {
        ok = false;
        break;
      }
      cells[c] = cell;
    }
    out[i] = ok ? '[' + cells.join(',') + ']' : '[' + Array.from(values.subarray(i * w, (i + 1) * w), String).join(',') + ']';
  }
  return out;
}
