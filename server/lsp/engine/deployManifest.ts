// The editor's Test & Deploy: the engine's deployModel, as `modelgate deploy`
// runs it, with the project root as the working folder (the default target,
// the reports and a relative target setting resolve there, as in every
// door). Only the result is shaped for the editor.
import type { DeployRequest } from '../../protocol/lsp';
import type { ProgressEvent } from '../../protocol/report';
import { projectRoot } from '../../manifest/projectRoot';
import { deployModel } from '../../pipeline/deploy';

export async function deployManifest(params: DeployRequest.Params, onProgress: (e: ProgressEvent) => void, signal: AbortSignal): Promise<DeployRequest.Result> {
  const notices: string[] = [];
  const r = await deployModel(params.manifest, {
    to: params.target || undefined,
    force: params.force === true,
    cwd: projectRoot(params.manifest),
    duration: params.duration,
    ...(params.concurrency?.length ? { stress: { concurrency: params.concurrency } } : {}),
    ...(params.credentials ? { store: { credentials: params.credentials } } : {}),
    signal,
    onProgress,
    onNotice: (m) => notices.push(m),
  });
  const steps: string[] = [];
  if (r.remote) steps.push(`remote ${r.remote.url}: ${r.remote.loaded}, ${r.remote.action === 'canary' ? `canary at ${r.remote.weight}%` : r.remote.action}`);
  if (r.kubernetes) {
    for (const w of r.kubernetes.warnings) steps.push(`warning: ${w}`);
    if (r.kubernetes.yamlPath) steps.push(`InferenceService written (dry run, nothing applied): ${r.kubernetes.yamlPath}`);
    for (const a of r.kubernetes.applied ?? [])
      steps.push(`applied ${a.kind} ${a.namespace ? `${a.namespace}/` : ''}${a.name} (context ${r.kubernetes.context})`);
  }
  return {
    report: r.report,
    reportPaths: r.reportPaths,
    passed: r.passed,
    ...(r.refused ? { refused: r.refused } : {}),
    ...(r.champion ? { champion: { version: r.champion.version, reference: r.champion.reference } } : {}),
    ...(r.published ? { published: { reference: r.published.reference, digest: r.published.digest, gated: r.published.gated } } : {}),
    ...(r.alreadyPublished ? { alreadyPublished: { reference: r.alreadyPublished.reference, digest: r.alreadyPublished.digest } } : {}),
    notices,
    steps,
  };
}
