import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LoadedManifest } from '../../../../server/manifest/load';
import { predictUrl, stressContextFrom } from '../../../../server/modeltests/stress/index';
import type { SuiteContext } from '../../../../server/modeltests/suite';
import type { ProgressEvent } from '../../../../server/protocol/report';

describe('stress context', () => {
  test("built from the pipeline's suite context: url, signal, progress, --duration", () => {
    const seen: Omit<ProgressEvent, 'suite'>[] = [];
    const ac = new AbortController();
    const loaded = { path: '/m/model.yaml' } as LoadedManifest;
    const suite = {
      loaded,
      url: 'http://127.0.0.1:9',
      signal: ac.signal,
      duration: '1500ms',
      progress: (e: Omit<ProgressEvent, 'suite'>) => seen.push(e),
    } as unknown as SuiteContext;
    const ctx = stressContextFrom(suite, { quick: true });
    assert.equal(ctx.loaded, loaded);
    assert.equal(ctx.baseUrl, 'http://127.0.0.1:9');
    assert.equal(ctx.signal, ac.signal);
    assert.deepEqual(ctx.options, { durationS: 1.5, quick: true });
    ctx.onProgress!({ suite: 'stress', step: 'warm-up', percent: 3 });
    assert.deepEqual(seen, [{ step: 'warm-up', percent: 3 }]);
    assert.equal(stressContextFrom({ ...suite, duration: undefined } as SuiteContext).options!.durationS, undefined);
  });

  test("--concurrency becomes the stress sweep; an empty list leaves the manifest's", () => {
    const suite = { loaded: { path: '/m/model.yaml' }, url: 'http://127.0.0.1:9', concurrency: [2, 16] } as unknown as SuiteContext;
    assert.deepEqual(stressContextFrom(suite).options, { concurrency: [2, 16] });
    assert.deepEqual(stressContextFrom({ ...suite, concurrency: [] } as SuiteContext).options, {});
  });

  test('predict URL in TF Serving REST form', () => {
    assert.equal(predictUrl('http://127.0.0.1:8500/', 'breast-cancer'), 'http://127.0.0.1:8500/v1/models/breast-cancer:predict');
  });
});
