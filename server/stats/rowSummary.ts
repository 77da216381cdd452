// Per-row summaries of a many-feature input (image pixels, embedding
// dimensions) for drift tests that look at the input as a whole: the row's
// mean, its standard deviation (population), and its Euclidean distance to
// a centroid (the reference's per-feature means). The staleness suite and
// the live /health both use these, so the same rows give the same figures.

export const ROW_SUMMARIES = ['row mean', 'row standard deviation', 'distance to the reference centroid'] as const;
export type RowSummary = (typeof ROW_SUMMARIES)[number];

/**
 * Summaries of `width` values starting at `offset` of `values` into `out`
 * (mean, std, distance); false, leaving `out` alone, when a value is NaN or
 * infinite (the row is then a missing value of each summary).
 */
export function summarizeRow(values: ArrayLike<number>, offset: number, width: number, center: ArrayLike<number>, out: Float64Array): boolean {
  let sum = 0;
  for (let j = 0; j < width; j++) {
    const v = values[offset + j] as number;
    if (v - v !== 0) return false;
    sum += v;
  }
  const mean = sum / width;
  let sq = 0;
  let d2 = 0;
  for (let j = 0; j < width; j++) {
    const v = values[offset + j] as number;
    sq += (v - mean) * (v - mean);
    const d = v - (center[j] as number);
    d2 += d * d;
  }
  out[0] = mean;
  out[1] = Math.sqrt(sq / width);
  out[2] = Math.sqrt(d2);
  return true;
}

/** Per-feature means over the rows of a row-major matrix whose values are all finite (NaN when there is none). */
export function centroidOfRows(values: ArrayLike<number>, rows: number, width: number): Float64Array {
  const sums = new Float64Array(width);
  let n = 0;
  rows: for (let r = 0; r < rows; r++) {
    const o = r * width;
    for (let j = 0; j < width; j++) if ((values[o + j] as number) - (values[o + j] as number) !== 0) continue rows;
    for (let j = 0; j < width; j++) sums[j] = sums[j]! + (values[o + j] as number);
    n++;
  }
  return sums.map((s) => (n > 0 ? s / n : Number.NaN));
}
