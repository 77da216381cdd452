// The state every protocol front end shares, decorated onto fastify by one
// fastify-plugin so the route plugins can declare it as a dependency.
import fp from 'fastify-plugin';
import type { ServingMetrics } from './metrics';
import type { ModelRepository } from './repository';
import { checkLabel, checkModelName, checkVersion } from './modelName';
import type { Servable } from './servable';

export interface ServingCore {
  repository: ModelRepository;
  metrics: ServingMetrics;
  serverName: string;
  serverVersion: string;
  /** True once every model given at start-up is loaded and warmed up. */
  ready(): boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    core: ServingCore;
  }
  interface FastifyRequest {
    /** Model and version that answered, for metrics and logs. */
    mgModel: string;
    mgVersion: string;
  }
}

export const corePlugin = fp<{ core: ServingCore }>(
  async (app, opts) => {
    app.decorate('core', opts.core);
    app.decorateRequest('mgModel', '');
    app.decorateRequest('mgVersion', '');
  },
  { name: 'modelgate-core', fastify: '5.x' },
);

export interface ModelParams {
  name: string;
  version?: string;
  label?: string;
}

/** Validates the URL's name/version/label and finds the servable (404 with the choices otherwise). */
export function servableFor(core: ServingCore, params: ModelParams): Servable {
  const name = checkModelName(params.name);
  if (params.version !== undefined) return core.repository.resolve(name, { version: checkVersion(params.version) });
  if (params.label !== undefined) return core.repository.resolve(name, { label: checkLabel(params.label) });
  return core.repository.resolve(name);
}
