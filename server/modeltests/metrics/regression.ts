// Regression metrics: MAE, RMSE, R², MAPE, and a residual sample for plots.

export interface RegressionMetrics {
  overall: Record<string, number>;
  residuals: { predicted: number[]; actual: number[] };
  notes: string[];
}

/** Points kept for the predicted-vs-actual plot. */
export const RESIDUAL_SAMPLE = 500;

export function regressionMetrics(actual: ArrayLike<number>, predicted: ArrayLike<number>): RegressionMetrics {
  const n = actual.length;
  const notes: string[] = [];
  let absSum = 0;
  let sqSum = 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += actual[i] as number;
  mean /= n;
  let ssTot = 0;
  let apeSum = 0;
  let apeRows = 0;
  for (let i = 0; i < n; i++) {
    const y = actual[i] as number;
    const e = (predicted[i] as number) - y;
    absSum += Math.abs(e);
    sqSum += e * e;
    ssTot += (y - mean) * (y - mean);
    if (y !== 0) {
      apeSum += Math.abs(e / y);
      apeRows++;
    }
  }
  const overall: Record<string, number> = { mae: absSum / n, rmse: Math.sqrt(sqSum / n) };
  if (ssTot > 0) overall.r2 = 1 - sqSum / ssTot;
  else notes.push('R² not computed: every target value is the same, so there is no variance to explain.');
  if (apeRows > 0) overall.mape = apeSum / apeRows;
  if (apeRows < n)
    notes.push(
      `MAPE skips ${n - apeRows} row(s) whose target is 0 (a percentage of 0 is undefined)${apeRows === 0 ? '; no row left, so MAPE is not computed' : ''}.`,
    );
  notes.push('MAPE is a fraction: 0.1 means 10 %.');
  const step = Math.max(1, n / RESIDUAL_SAMPLE);
  const residuals = { predicted: [] as number[], actual: [] as number[] };
  for (let f = 0; f < n; f += step) {
    const i = Math.floor(f);
    residuals.predicted.push(predicted[i] as number);
    residuals.actual.push(actual[i] as number);
  }
  return { overall, residuals, notes };
}
