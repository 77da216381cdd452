// A published model version pulled into a temp dir so it can be loaded like
// any manifest: the champion of a deploy, or `modelgate test --baseline
// oci://…`. The caller disposes of the directory when the run is over.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pullModel, type PullResult } from '../publish/pullModel';
import type { StoreOptions } from '../publish/openStore';
import { ERROR_CODES, ModelGateError } from '../protocol/errors';

export interface PulledManifest {
  /** model.yaml inside the pulled directory */
  manifestPath: string;
  reference: string;
  digest: string;
  pulled: PullResult;
  dispose(): Promise<void>;
}

export class PulledManifestError extends ModelGateError {
  constructor(message: string) {
    super(ERROR_CODES.pulledManifest, message, 2);
  }
}

export async function pullManifest(ref: string, opts: StoreOptions = {}): Promise<PulledManifest> {
  const dir = await mkdtemp(join(tmpdir(), 'modelgate-pulled-'));
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    const pulled = await pullModel(ref, dir, opts);
    const yaml = pulled.files.find((f) => f.role === 'manifest');
    if (!yaml)
      throw new PulledManifestError(
        `${pulled.reference} has no model.yaml layer; it was not published by modelgate and cannot be a baseline (pull it and write a manifest with \`modelgate init\` to test it)`,
      );
    return { manifestPath: yaml.path, reference: pulled.reference, digest: pulled.digest, pulled, dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}
