// Builds the serving app around real sample models, for app.inject tests.
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../server/serving/app';
import { ModelLifecycle } from '../../../server/serving/lifecycle';
import { ServingMetrics } from '../../../server/serving/metrics';
import { ModelRepository } from '../../../server/serving/repository';

export const root = resolve(__dirname, '../../..');
export const sample = (name: string) => resolve(root, 'samples', name, 'model.yaml');
export const fixture = (name: string) => resolve(root, 'test/fixtures', name, 'model.yaml');

const quiet = { info() {}, warn() {}, error() {} };

export async function testApp(
  manifests: string[],
  opts: { maxInstancesPerRequest?: number; bodyLimit?: number; cors?: boolean } = {},
): Promise<{ app: FastifyInstance; repository: ModelRepository; close(): Promise<void> }> {
  const repository = new ModelRepository();
  const metrics = new ServingMetrics({ defaultMetrics: false });
  metrics.setSources(() => repository.all());
  const lifecycle = new ModelLifecycle(repository, { metrics, maxInstancesPerRequest: opts.maxInstancesPerRequest ?? 10_000 }, quiet);
  await lifecycle.loadAll(manifests);
  const app = buildApp(
    { repository, metrics, serverName: 'modelgate', serverVersion: 'test', ready: () => true },
    { bodyLimit: opts.bodyLimit, cors: opts.cors },
  );
  await app.ready();
  return {
    app,
    repository,
    async close() {
      await app.close();
      await lifecycle.close();
    },
  };
}

/** First data rows of a sample's CSV, as numbers in the manifest's feature order. */
export { readTable } from '../../../server/manifest/dataset';
