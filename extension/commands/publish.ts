// Publishes a tested manifest to the registry set in modelgate.registry.
import type { CommandFactory } from '../ctx';
import { manifestTarget } from '../manifestTarget';
import { publishManifest } from '../publishManifest';

export const publish: CommandFactory = (ctx) => async (arg) => {
  const uri = await manifestTarget(arg);
  if (uri) await publishManifest(ctx, uri);
};
