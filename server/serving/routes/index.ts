// Every protocol front end, registered in this order with its prefix. An
// explicit list (no autoload) so the bundle holds exactly these routes.
import type { FastifyPluginAsync } from 'fastify';
import metrics from './metrics';
import v1 from './v1';
import v2 from './v2';

export const routePlugins: { plugin: FastifyPluginAsync; prefix: string }[] = [
  { plugin: v1, prefix: '/v1' },
  { plugin: v2, prefix: '/v2' },
  { plugin: metrics, prefix: '' },
];
