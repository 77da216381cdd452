// Publishes a tested manifest to the registry set in modelgate.registry.
import type { CommandFactory } from '../ctx';
import { manifestTarget } from '../manifestTarget';
import { publishManifest } from '../publishManifest';

/** Resolves with where it went (reference, digest, gated), or undefined when it did not publish. */
export const publish: CommandFactory = {
  enabled: (ctx) => async (arg) => {
    const uri = await manifestTarget(arg);
    return uri ? publishManifest(ctx, uri) : undefined;
  },
};
