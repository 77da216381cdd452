// lint → serve → test → gate → publish (→ KServe): the one-click deploy.
// Everything that can be refused cheaply (a bad manifest, an unreachable
// target, a version that already holds other content, a cluster client that
// is not installed) is refused before the minutes of testing. A failed gate
// publishes nothing; --force publishes and marks the artifact ungated.
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { loadManifest, type LoadedManifest } from '../manifest/load';
import type { ProgressEvent, Report } from '../protocol/report';
import { renderReportHtml } from '../report/html';
import { verdictLine } from '../report/summary';
import { attachReport, type AttachResult } from '../publish/attachReport';
import { buildModelArtifact } from '../publish/modelArtifact';
import { layerFilePath, layerRole, type ArtifactFormat, type LayerRole } from '../publish/mediaTypes';
import { openStore, type StoreOptions } from '../publish/openStore';
import { publishModel, resolvePublishTarget, type PublishResult } from '../publish/publishModel';
import { formatReference, versionTag, type Target } from '../publish/reference';
import { runTests, type RunTestsOptions } from '../pipeline';
import { findChampion, type Champion } from './champion';
import { kubernetesStep, wantsKubernetes, type KubernetesOutcome } from './kubernetesStep';
import { loadKubernetesClient, type Cluster, type ClusterOptions } from '../publish/kserve';
import { deployRemote, resolveRemote, type RemoteOutcome } from './remote';
import { ERROR_CODES, ModelGateError } from '../protocol/errors';
import { projectRoot } from '../manifest/projectRoot';

export interface DeployOptions {
  /** oci://host[:port]/repo or a layout directory; default deploy.oci, else .modelgate/registry/<name>. */
  to?: string;
  /** Publish even when a gate fails; the artifact is annotated dev.modelgate.gated=false. */
  force?: boolean;
  /** Extra tags moved to this version (stable, latest). */
  tags?: string[];
  /** Artifact format: modelpack (default) or modelgate; default deploy.format in the manifest. */
  format?: ArtifactFormat;
  /** Report paths; default .modelgate/reports/<name>-<version>.{json,html} under cwd. */
  reportJson?: string;
  reportHtml?: string;
  /** Generate the InferenceService even without deploy.kubernetes in the manifest. */
  kubernetes?: boolean;
  /** Kubernetes: write the YAML, apply nothing. */
  dryRun?: boolean;
  /** Kubernetes: how to reach the cluster (default connectCluster: kubeconfig + @kubernetes/client-node). */
  connectCluster?: (opts: ClusterOptions) => Promise<Cluster>;
  /** A remote ModelGate node's URL (overrides deploy.remote); its admin token, or a file holding it (else MODELGATE_ADMIN_TOKEN). */
  remote?: string;
  adminToken?: string;
  adminTokenFile?: string;
  /** Port of the server the tests start (default: a free one). */
  port?: number;
  /** Per-point stress duration, e.g. 2s. */
  duration?: string;
  stress?: RunTestsOptions['stress'];
  now?: Date;
  cwd?: string;
  /** Registry options: credentials, plain http, retries. */
  store?: StoreOptions;
  signal?: AbortSignal;
  onProgress?: (e: ProgressEvent) => void;
  /** Loud messages for the user (force, champion, idempotent re-run). */
  onNotice?: (message: string) => void;
}

export interface DeployResult {
  manifestPath: string;
  model: { name: string; version: string };
  report: Report;
  reportPaths: { json: string; html: string };
  /** The verdict is passed: every declared gate of every suite passed. */
  passed: boolean;
  /** Why nothing was published (the verdict line), when the gate refused. */
  refused?: string;
  /** The version compared against, when the target held an older one. */
  champion?: { version: string; reference: string; digest: string };
  published?: PublishResult & { gated: boolean };
  /** The same model and manifest were already published under this version: the new report was attached to it instead. */
  alreadyPublished?: { reference: string; digest: string; attached: AttachResult };
  /** For a layout target: the command that shows the artifact with standard tools. */
  inspectCommand?: string;
  kubernetes?: KubernetesOutcome;
  remote?: RemoteOutcome;
}

/** A configuration or environment problem (exit 2), found before or after testing. */
export class DeployError extends ModelGateError {
  constructor(message: string) {
    super(ERROR_CODES.deploy, message, 2);
  }
}

/** `.modelgate/reports/<name>-<version>.{json,html}` in the manifest's project root, beside the default publish target. */
export function defaultReportPaths(loaded: LoadedManifest): { json: string; html: string } {
  const { name, version } = loaded.manifest.metadata;
  const base = join(projectRoot(loaded.path), '.modelgate', 'reports', `${name}-${version}`);
  return { json: `${base}.json`, html: `${base}.html` };
}

export async function deployModel(manifestPath: string, opts: DeployOptions = {}): Promise<DeployResult> {
  const cwd = opts.cwd ?? process.cwd();
  const store: StoreOptions = { ...opts.store, cwd };
  const emit = (e: ProgressEvent) => opts.onProgress?.(e);
  const notice = (m: string) => opts.onNotice?.(m);

  emit({ suite: 'lint', step: 'checking the manifest', message: manifestPath });
  const loaded = await loadManifest(manifestPath); // ManifestError: the caller prints the diagnostics
  const { name, version } = loaded.manifest.metadata;
  const target = resolvePublishTarget(loaded, opts.to, { cwd, plainHttp: store.plainHttp });
  const tag = versionTag(version);
  const kube = wantsKubernetes(loaded, opts.kubernetes);
  if (kube && target.kind === 'layout') {
    throw new DeployError(
      `${name} ${version}: a Kubernetes deployment needs a registry the cluster can pull from, but the target is the local layout ${target.dir}; pass --to oci://HOST/REPO (or set deploy.oci in ${loaded.path})`,
    );
  }
  if (kube && !opts.dryRun && !opts.connectCluster) await loadKubernetesClient(); // a missing client is an error now, not after the tests
  // the node's URL and token are checked now too, not after the tests
  const remote = await resolveRemote(loaded, opts).catch((err: Error) => {
    throw new DeployError(err.message);
  });

  emit({ suite: 'publish', step: 'checking the target', message: formatReference(target) });
  const existing = await sameVersionState(loaded, target, tag, store);
  if (existing.kind === 'different') {
    throw new DeployError(
      `${formatReference(target, { tag })} already holds a different ${name} ${version} (${existing.digest}: another model file or model.yaml); bump metadata.version in ${loaded.path} to publish this one`,
    );
  }
  if (existing.kind === 'same')
    notice(
      `${name} ${version} is already published at ${formatReference(target, { tag })}@${existing.digest} with this model and manifest; testing again, the new report will be attached to it`,
    );

  const champion: Champion | undefined = await findChampion(target, version, store, (m) => emit({ suite: 'publish', step: 'champion', message: m }));
  if (champion) notice(`champion/challenger: comparing ${name} ${version} with ${champion.version} (${champion.reference}@${champion.digest})`);
  else notice(`champion/challenger: no earlier version of ${name} in ${formatReference(target)}; nothing to compare with`);

  const report = await runTests(loaded.path, {
    ...(champion ? { baseline: champion.pinned } : {}),
    ...(opts.duration ? { duration: opts.duration } : {}),
    ...(opts.stress ? { stress: opts.stress } : {}),
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    store,
    onProgress: emit,
  });
  const reportPaths = reportPathsFor(loaded, opts, cwd);
  await writeReports(report, reportPaths);

  const passed = report.summary.verdict === 'passed';
  const result: DeployResult = { manifestPath: loaded.path, model: { name, version }, report, reportPaths, passed };
  if (champion) result.champion = { version: champion.version, reference: champion.reference, digest: champion.digest };
  if (report.cancelled) return { ...result, refused: verdictLine(report) };
  if (!passed && !opts.force) return { ...result, refused: verdictLine(report) };
  if (!passed)
    notice(
      `--force: publishing ${name} ${version} although the gates did not pass (${verdictLine(report)}); the artifact is marked UNGATED (dev.modelgate.gated: false)`,
    );

  const ref = formatReference(target, { tag });
  if (existing.kind === 'same') {
    emit({ suite: 'publish', step: 'attaching the report', message: ref });
    const attached = await attachReport(`${formatReference(target)}@${existing.digest}`, reportPaths, store);
    result.alreadyPublished = { reference: ref, digest: existing.digest, attached };
    if (opts.tags?.length) {
      // labels still move on a re-run
      const s = openStore(target, store);
      const m = await s.getManifest(existing.digest);
      if (m) for (const t of opts.tags) await s.putManifest(m.bytes, m.mediaType, t);
    }
  } else {
    const published = await publishModel({
      loaded,
      target: opts.to,
      format: opts.format,
      report: reportPaths,
      gated: passed,
      ...(opts.tags ? { tags: opts.tags } : {}),
      ...store,
      onProgress: (e) => emit({ suite: 'publish', step: e.step, message: e.message, ...(e.percent !== undefined ? { percent: e.percent } : {}) }),
    });
    result.published = { ...published, gated: passed };
  }
  const digest = result.published?.digest ?? result.alreadyPublished!.digest;
  if (target.kind === 'layout') result.inspectCommand = `skopeo inspect --raw oci:${target.dir}:${tag}`;
  if (kube) {
    emit({ suite: 'publish', step: 'kubernetes', message: opts.dryRun ? 'generating the InferenceService (dry run)' : 'applying the InferenceService' });
    result.kubernetes = await kubernetesStep({
      loaded,
      reference: ref,
      digest,
      gated: passed,
      gates: result.published?.gates ?? '',
      dryRun: opts.dryRun === true,
      yamlPath: join(dirname(reportPaths.html), 'inferenceservice.yaml'),
    });
  }
  if (remote) {
    const pinned = `${formatReference(target)}@${digest}`;
    emit({
      suite: 'publish',
      step: 'remote',
      message: `${remote.canaryPercent !== undefined ? `${remote.canaryPercent}% canary` : 'activating'} on ${remote.url.origin}`,
    });
    try {
      result.remote = await deployRemote(remote, { name, version }, pinned);
    } catch (err) {
      throw new DeployError(`${name} ${version} is published (${pinned}), but deploying it to ${remote.url.origin} failed: ${(err as Error).message}`);
    }
  }
  return result;
}

function reportPathsFor(loaded: LoadedManifest, opts: DeployOptions, cwd: string): { json: string; html: string } {
  const def = defaultReportPaths(loaded);
  const json = opts.reportJson ? resolve(cwd, opts.reportJson) : opts.reportHtml ? resolve(cwd, opts.reportHtml).replace(/\.html?$/i, '') + '.json' : def.json;
  const html = opts.reportHtml ? resolve(cwd, opts.reportHtml) : opts.reportJson ? resolve(cwd, opts.reportJson).replace(/\.json$/i, '') + '.html' : def.html;
  if (basename(json) === basename(html))
    throw new DeployError(
      `--json ${json} and --report ${html} have the same file name; both are stored in the artifact under their names — give them different names`,
    );
  return { json, html };
}

async function writeReports(report: Report, paths: { json: string; html: string }): Promise<void> {
  try {
    await mkdir(dirname(paths.json), { recursive: true });
    await mkdir(dirname(paths.html), { recursive: true });
    await writeFile(paths.json, JSON.stringify(report, null, 2) + '\n');
    await writeFile(paths.html, renderReportHtml(report));
  } catch (err) {
    throw new DeployError(`cannot write the report (${paths.json}, ${paths.html}): ${(err as Error).message}`);
  }
}

type VersionState = { kind: 'absent' } | { kind: 'same'; digest: string } | { kind: 'different'; digest: string };

/**
 * Is this version already in the target? "Same" means the same model file
 * and model.yaml; the report layers differ on every run (times, measured
 * latencies), so they do not count.
 */
async function sameVersionState(loaded: LoadedManifest, target: Target, tag: string, store: StoreOptions): Promise<VersionState> {
  const fetched = await openStore(target, store).getManifest(tag);
  if (!fetched) return { kind: 'absent' };
  // compared by what each layer is (model, manifest), so the same files published in either format are the same version
  const kept = (role: LayerRole) => role === 'model' || role === 'manifest';
  const built = await buildModelArtifact({ loaded, gated: false });
  const mine = new Set(built.layers.filter((l) => kept(layerRole(l.mediaType, l.title))).map((l) => `${l.title} ${l.digest}`));
  let theirs: string[];
  try {
    const m = JSON.parse(fetched.bytes.toString('utf8')) as { layers?: { digest: string; mediaType: string; annotations?: Record<string, string> }[] };
    theirs = (m.layers ?? [])
      .map((l) => ({ path: layerFilePath(l.annotations) ?? '', l }))
      .filter(({ path, l }) => kept(layerRole(l.mediaType, path)))
      .map(({ path, l }) => `${path} ${l.digest}`);
  } catch {
    return { kind: 'different', digest: fetched.digest };
  }
  const same = theirs.length === mine.size && theirs.every((t) => mine.has(t));
  return same ? { kind: 'same', digest: fetched.digest } : { kind: 'different', digest: fetched.digest };
}
