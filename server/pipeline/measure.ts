// `modelgate init --measure`: runs the manifest's own tests once (metrics on
// the validation data, a short stress probe, drift between reference and
// current data) so that init can write gates just below what was measured.
// The same engine function as `modelgate test`, with the gates wide open.
import type { Measured } from '../manifest/init';
import type { ProgressEvent } from '../protocol/report';
import { runTests } from '../pipeline';

export interface MeasureOptions {
  signal?: AbortSignal;
  onProgress?: (e: ProgressEvent) => void;
}

const METRICS = new Set(['accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'log_loss', 'ece', 'mae', 'rmse', 'r2', 'mape']);

/** What the starter manifest's tests measured; the gates init proposes are read back by their metric. */
export async function measureStarter(manifestPath: string, opts: MeasureOptions = {}): Promise<{ measured: Measured; seconds: number }> {
  const t = performance.now();
  const report = await runTests(manifestPath, {
    stress: { quick: true },
    duration: '3s',
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
  const validation = report.datasets?.find((d) => d.role === 'validation' && d.suite === 'metrics');
  const measured: Measured = { rows: validation?.rowsUsed ?? 0, metrics: [] };
  for (const g of report.gates) {
    if (g.measured === null) continue;
    const m = /^metrics\.([a-z0-9_]+?)(?:_(macro|weighted|micro|binary))?$/.exec(g.id);
    if (m && g.suite === 'metrics' && METRICS.has(m[1]!)) measured.metrics.push({ metric: m[1]!, ...(m[2] ? { average: m[2] } : {}), value: g.measured });
    else if (g.id === 'stress.p99') measured.p99Ms = g.measured;
    else if (g.id === 'stress.rps') measured.highestRps = g.measured;
    else if (g.id === 'staleness.driftedShare') measured.driftedShare = g.measured;
  }
  return { measured, seconds: (performance.now() - t) / 1000 };
}
