// `modelgate deploy <manifest>`: lint → serve → test → gate → publish
// (→ KServe). Exit 0 when published (or already published with the same
// content), 1 when a gate failed and nothing was published, 2 on a usage,
// configuration or I/O error, 130 when cancelled. Progress and messages on
// stderr; stdout carries the artifact `reference@digest` (or, with
// --dry-run --kubernetes, the InferenceService YAML).
import { relative } from 'node:path';
import type { Command } from 'commander';
import { parseDuration } from '../manifest/durations';
import { formatDiagnostic, ManifestError } from '../manifest/load';
import { ModelLoadError } from '../runtime/onnx';
import { TestUsageError } from '../pipeline';
import type { ProgressEvent } from '../protocol/report';
import { deployModel, type DeployResult } from '../pipeline/deploy';
import { summaryTable } from '../report/summary';
import { CliExit, fail, VERDICT_EXIT, VERDICT_HELP } from './exit';
import { checkFormat, failPublishing } from './publish';
import { parsePort, progressReporter } from './test';

interface DeployFlags {
  to?: string;
  force?: boolean;
  tag: string[];
  format?: string;
  port?: string;
  report?: string;
  json?: string;
  dryRun?: boolean;
  kubernetes?: boolean;
  plainHttp?: boolean;
  duration?: string;
  quick?: boolean;
  progress: boolean;
  remote?: string;
  adminTokenFile?: string;
}

const shown = (p: string) => {
  const r = relative(process.cwd(), p);
  return r && !r.startsWith('..') ? r : p;
};

export function registerDeploy(program: Command): void {
  program
    .command('deploy')
    .description('lint, serve, test every gate, and publish only if all pass (then, optionally, deploy to KServe)')
    .addHelpText('after', VERDICT_HELP)
    .argument('<manifest>', 'model.yaml, or a directory holding it')
    .option(
      '--to <target>',
      "oci://HOST[:PORT]/REPO or an OCI layout directory (default: deploy.oci from the manifest, else .modelgate/registry/<name> in the manifest's project root)",
    )
    .option('--force', 'publish even when a gate fails; the artifact is annotated dev.modelgate.gated=false')
    .option('--tag <tag>', 'also move this tag to the version, e.g. stable (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--report <file.html>', 'where to write the HTML report (default .modelgate/reports/<name>-<version>.html)')
    .option('--json <file.json>', 'where to write the JSON report (default next to the HTML one)')
    .option('--kubernetes', 'also deploy to KServe (implied by deploy.kubernetes in the manifest)')
    .option('--dry-run', 'Kubernetes: write the InferenceService YAML (stdout and inferenceservice.yaml next to the report) and apply nothing')
    .option('--plain-http', 'talk plain http to a non-loopback registry (loopback hosts always use http)')
    .option('--duration <d>', 'length of each stress point, e.g. 2s (overrides slo.duration)')
    .option('--quick', 'a short stress sweep (two concurrency levels, short warm-up); the SLO gates are still measured')
    .option('--port <port>', 'port of the server the tests start on 127.0.0.1 (default: a free one)')
    .option('--no-progress', 'no progress output')
    .option(
      '--format <format>',
      'artifact format: modelpack (CNCF ModelPack, the default) or modelgate (the earlier ModelGate media types); default deploy.format',
    )
    .option(
      '--remote <url>',
      'after publishing, load the version on this ModelGate node (serve --admin-token-file) and activate it, or set deploy.canaryPercent (overrides deploy.remote)',
    )
    .option('--admin-token-file <file>', "the remote node's admin token (default: the MODELGATE_ADMIN_TOKEN environment variable)")
    .action(async (manifest: string, flags: DeployFlags) => {
      const format = checkFormat(flags.format);
      const port = parsePort(flags.port);
      if (flags.duration !== undefined && parseDuration(flags.duration) === undefined) {
        fail(`--duration ${flags.duration} is not a duration: use a whole number followed by ms, s, m or h, e.g. 5s`, 2);
      }
      const controller = new AbortController();
      let interrupted = false;
      const onSigint = () => {
        if (interrupted) {
          process.stderr.write('\nmodelgate: interrupted again: exiting now; nothing was published\n');
          process.exit(130);
        }
        interrupted = true;
        process.stderr.write('\nmodelgate: cancelling: stopping the server and load generator; nothing will be published\n');
        controller.abort();
      };
      process.on('SIGINT', onSigint);
      // A notice ends the current bar (a stopped bar does not draw again), the next event starts a new one.
      let bar = progressReporter(flags.progress);
      const progress = { onProgress: (e: ProgressEvent) => bar.onProgress(e), stop: () => bar.stop() };
      const notice = (m: string) => {
        bar.stop();
        process.stderr.write(`modelgate: ${m}\n`);
        bar = progressReporter(flags.progress);
      };
      let result: DeployResult;
      try {
        result = await deployModel(manifest, {
          ...(flags.to ? { to: flags.to } : {}),
          force: flags.force === true,
          tags: flags.tag,
          ...(format ? { format } : {}),
          ...(flags.report ? { reportHtml: flags.report } : {}),
          ...(flags.json ? { reportJson: flags.json } : {}),
          kubernetes: flags.kubernetes === true,
          dryRun: flags.dryRun === true,
          ...(flags.duration ? { duration: flags.duration } : {}),
          ...(flags.quick ? { stress: { quick: true } } : {}),
          ...(port !== undefined ? { port } : {}),
          store: { plainHttp: flags.plainHttp === true },
          ...(flags.remote ? { remote: flags.remote } : {}),
          ...(flags.adminTokenFile ? { adminTokenFile: flags.adminTokenFile } : {}),
          signal: controller.signal,
          onProgress: progress.onProgress,
          onNotice: notice,
        });
      } catch (err) {
        progress.stop();
        if (err instanceof ManifestError) {
          const lines = err.diagnostics.filter((d) => d.severity === 'error').map((d) => '  ' + formatDiagnostic(err.path, d));
          fail(lines.length ? `${err.path} is not a usable manifest; nothing was tested or published:\n${lines.join('\n')}` : err.message, 2);
        }
        if (err instanceof TestUsageError || err instanceof ModelLoadError) fail(err.message, 2);
        failPublishing(err);
      } finally {
        process.off('SIGINT', onSigint);
      }
      progress.stop();
      printResult(result);
    });
}

function printResult(r: DeployResult): void {
  const err = (s: string) => process.stderr.write(s + '\n');
  const { name, version } = r.model;
  // the gate table goes to stderr when stdout is reserved for YAML
  const table = summaryTable(r.report) + '\n';
  if (r.kubernetes?.yamlPath) process.stderr.write(table);
  else process.stdout.write(table);
  err(`report: ${shown(r.reportPaths.html)} (JSON: ${shown(r.reportPaths.json)})`);
  if (r.champion && r.report.suites.metrics?.baseline) err(`champion/challenger: compared with ${r.champion.version} (${r.champion.reference})`);
  if (r.refused !== undefined) {
    if (r.report.cancelled) throw new CliExit(130, 'cancelled');
    const verdict = r.report.summary.verdict;
    err(
      `modelgate: NOT published: ${name} ${version} ${verdict === 'failed' ? 'failed the gate' : 'has no complete verdict'}: ${r.refused.replace(/^(✗|…) /, '')}`,
    );
    err(
      verdict === 'failed'
        ? `fix the model or the thresholds in ${shown(r.manifestPath)}, or pass --force to publish it marked ungated`
        : `give every gate what it needs (see the reasons above) and deploy again, or pass --force to publish it marked ungated`,
    );
    CliExit.code = VERDICT_EXIT[verdict];
    return;
  }
  if (r.published) {
    const p = r.published;
    if (!p.gated) {
      err('');
      err(`!!! ${name} ${version} was published UNGATED (--force): gates ${p.gates}; annotated dev.modelgate.gated=false !!!`);
      err('');
    }
    err(`published ${name} ${version} (${p.gates}; ${p.uploaded} blob(s) uploaded, ${p.skipped} already there)`);
    if (p.tags.length > 1) err(`tags: ${p.tags.join(', ')}`);
  } else if (r.alreadyPublished) {
    err(
      `${name} ${version} was already published with this model and manifest; this run's report is attached to it as ${r.alreadyPublished.attached.reference}`,
    );
  }
  const ref = r.published ? `${r.published.reference}@${r.published.digest}` : `${r.alreadyPublished!.reference}@${r.alreadyPublished!.digest}`;
  err(`artifact: ${ref}`);
  if (r.inspectCommand) err(`inspect it: ${r.inspectCommand}`);
  if (r.remote) {
    const w = Object.entries(r.remote.weights)
      .map(([v, p]) => `${v} ${p}%`)
      .join(', ');
    err(
      `remote ${r.remote.url}: ${r.remote.loaded}, ${r.remote.action === 'canary' ? `canary at ${r.remote.weight}%` : r.remote.action}${w ? ` (traffic: ${w})` : ''}`,
    );
  }
  if (r.kubernetes) {
    for (const w of r.kubernetes.warnings) err(`warning: ${w}`);
    if (r.kubernetes.yamlPath) {
      err(`InferenceService (dry run, nothing applied): ${shown(r.kubernetes.yamlPath)}`);
      process.stdout.write(r.kubernetes.yaml);
      return;
    }
    for (const a of r.kubernetes.applied ?? []) err(`applied ${a.kind} ${a.namespace ? a.namespace + '/' : ''}${a.name} (context ${r.kubernetes.context})`);
  }
  process.stdout.write(`${ref}\n`);
}
