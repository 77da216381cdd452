// Every gate the manifest declares, whether or not its suite ran. A run's
// gate list is the suites' results completed with the declared gates they
// did not produce, each `not run` with the reason, so a verdict can never be
// "passed" because a gate was silently left out.
import type { LoadedManifest } from '../manifest/load';
import type { GateResult, SuiteId } from '../protocol/report';
import { declaredMetricsGates } from './metrics';
import { declaredStalenessGates } from './staleness/stalenessGates';
import { declaredStressGates } from './stress';

export function declaredGates(loaded: LoadedManifest, suite: SuiteId, now: Date, why: string): GateResult[] {
  switch (suite) {
    case 'stress':
      return declaredStressGates(loaded, why);
    case 'staleness':
      return declaredStalenessGates(loaded, now, why);
    case 'metrics':
      return declaredMetricsGates(loaded, why);
  }
}

/**
 * The run's gates, suite by suite in `order`: for a suite that did not run
 * (`notRun` gives the reason), its declared gates as not run; for one that
 * ran, what it produced plus any declared gate it did not produce.
 */
export function completeGates(
  loaded: LoadedManifest,
  now: Date,
  order: readonly SuiteId[],
  produced: GateResult[],
  notRun: ReadonlyMap<SuiteId, string>,
): GateResult[] {
  const out: GateResult[] = [];
  for (const suite of order) {
    const why = notRun.get(suite);
    if (why !== undefined) {
      out.push(...declaredGates(loaded, suite, now, why));
      continue;
    }
    const own = produced.filter((g) => g.suite === suite);
    const ids = new Set(own.map((g) => g.id));
    out.push(...own);
    for (const g of declaredGates(loaded, suite, now, `the ${suite} suite ran but did not measure this gate (see the ${suite} notes)`)) {
      if (!ids.has(g.id)) out.push(g);
    }
  }
  return out;
}
