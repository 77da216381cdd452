// Publishes for the editor: the report travels in the request, so it is
// written to a private temporary file for the publish layer, which reads and
// checks reports from disk (the same path the CLI takes).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadManifest } from '../../manifest/load';
import type { PublishRequest } from '../../protocol/lsp';
import { publishModel, type PublishProgress } from '../../publish';
import { projectRoot } from '../../manifest/projectRoot';

export async function publishManifest(
  params: PublishRequest.Params,
  onProgress: (e: PublishProgress) => void,
  signal?: AbortSignal,
): Promise<PublishRequest.Result> {
  const loaded = await loadManifest(params.manifest);
  const dir = await mkdtemp(join(tmpdir(), 'modelgate-publish-'));
  try {
    let reportPath: string | undefined;
    if (params.report) {
      reportPath = join(dir, 'report.json');
      await writeFile(reportPath, JSON.stringify(params.report), { mode: 0o600 });
    }
    // Forced: gated only if the report's verdict is passed anyway; otherwise publishModel applies the gate policy and refuses.
    const gated = !params.force || params.report?.summary.verdict === 'passed';
    const result = await publishModel({
      loaded,
      target: params.target || undefined,
      report: reportPath ? { json: reportPath } : undefined,
      gated,
      cwd: projectRoot(loaded.path),
      credentials: params.credentials,
      onProgress,
      signal,
    });
    return { reference: result.reference, digest: result.digest, tags: result.tags, size: result.size, location: result.location, gated };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
