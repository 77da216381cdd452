// `modelgate publish <manifest>`: pushes a model version with its test
// report to an OCI registry or layout. Refuses without a passing report
// unless --force, which marks the artifact ungated. Progress on stderr,
// the published reference on stdout.
import type { ArtifactFormat } from '../publish/mediaTypes';
import type { Command } from 'commander';
import { ManifestError, loadManifest } from '../manifest/load';
import { publishModel, type PublishProgress } from '../publish/publishModel';
import { gatedPublishRefusal, readGateReport } from '../publish/gateReport';
import { CliExit, fail, VERDICT_HELP } from './exit';
import { ModelGateError } from '../protocol/errors';

interface PublishFlags {
  to?: string;
  tag: string[];
  report?: string;
  reportHtml?: string;
  force?: boolean;
  overwrite?: boolean;
  format?: string;
  plainHttp?: boolean;
  created?: string;
  json?: boolean;
}

/** Maps any publishing or deploy failure to a user message and its exit code (1 gate failed, 3 verdict incomplete, 2 usage/IO, 130 cancelled). */
export function failPublishing(err: unknown): never {
  if (err instanceof CliExit) throw err;
  if (err instanceof ManifestError) fail(err.message, err.diagnostics.length ? 1 : 2);
  // by type, never by name: a JavaScript ReferenceError or TypeError is a bug and surfaces as one
  if (err instanceof ModelGateError) fail(err.message, err.exitCode);
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e.code === 'string' && e.syscall) fail(`${e.message}; check the path and permissions`, 2);
  throw err;
}

export function humanBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

function progressPrinter(stream: NodeJS.WriteStream): (e: PublishProgress) => void {
  const tty = stream.isTTY === true;
  let partial = false;
  return (e) => {
    if (e.step === 'blob' && !e.done) {
      if (tty && e.total && e.bytes !== undefined && e.total > 1024 * 1024) {
        stream.write(`\r  ${e.file}: ${Math.floor((e.bytes / e.total) * 100)}% of ${humanBytes(e.total)}`);
        partial = true;
      }
      return;
    }
    if (partial) {
      stream.write('\r\x1b[K');
      partial = false;
    }
    if (e.step === 'blob') stream.write(`  ${e.file}: ${e.skipped ? 'already there' : 'uploaded'} (${humanBytes(e.bytes ?? 0)}, ${e.digest?.slice(0, 19)})\n`);
    else if (e.step !== 'done') stream.write(`${e.message}\n`);
  };
}

/** --format's value, or a usage error (exit 2) naming the two formats. */
export function checkFormat(format: string | undefined): ArtifactFormat | undefined {
  if (format === undefined || format === 'modelpack' || format === 'modelgate') return format;
  fail(`--format ${format} is not a format; use modelpack (CNCF ModelPack, the default) or modelgate (the earlier ModelGate media types)`, 2);
}

export function registerPublish(program: Command): void {
  program
    .command('publish')
    .description('publish a tested model version (model, model.yaml, report) as an OCI artifact')
    .addHelpText('after', VERDICT_HELP)
    .argument('<manifest>', 'model.yaml, or the directory holding it')
    .option(
      '--to <target>',
      "oci://HOST[:PORT]/REPO or an OCI layout directory (default: deploy.oci from the manifest, else .modelgate/registry/<name> in the manifest's project root)",
    )
    .option('--tag <tag>', 'also move this tag to the version, e.g. stable or latest (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--report <report.json>', 'the JSON test report; a gated publish needs its verdict to be passed over every suite (else --force)')
    .option('--report-html <report.html>', 'the HTML rendering of the same report, stored as a layer too')
    .option('--force', 'publish without a passing report; the artifact is annotated dev.modelgate.gated=false')
    .option('--overwrite', 'replace the version tag when it already holds different content')
    .option('--plain-http', 'talk plain http to a non-loopback registry (loopback hosts always use http)')
    .option('--created <rfc3339>', 'creation time (default: ModelPack, the test run of --report; ModelGate format, model.trainedAt)')
    .option(
      '--format <format>',
      'artifact format: modelpack (CNCF ModelPack, the default) or modelgate (the earlier ModelGate media types); default deploy.format',
    )
    .option('--json', 'print the result as JSON on stdout')
    .action(async (manifestPath: string, flags: PublishFlags) => {
      try {
        const loaded = await loadManifest(manifestPath);
        const { name, version } = loaded.manifest.metadata;
        if (flags.reportHtml && !flags.report) fail('--report-html needs --report <report.json> as well (the JSON report is the one checked)', 2);
        const report = flags.report ? await readGateReport(flags.report) : undefined;
        if (!report && !flags.force) {
          fail(
            `publishing ${name} ${version} needs a passing test report: run \`modelgate test ${manifestPath} --json report.json\`, then pass --report report.json; or pass --force to publish it marked ungated`,
            2,
          );
        }
        const refusal = gatedPublishRefusal(report, `not publishing ${name} ${version}`);
        if (refusal && !flags.force) fail(refusal.message, refusal.exitCode);
        const gated = !refusal;
        if (!gated) process.stderr.write(`warning: publishing ${name} ${version} UNGATED (--force); it is annotated dev.modelgate.gated=false\n`);
        const result = await publishModel({
          loaded,
          target: flags.to,
          report: flags.report ? { json: flags.report, ...(flags.reportHtml ? { html: flags.reportHtml } : {}) } : undefined,
          gated,
          tags: flags.tag,
          overwrite: flags.overwrite,
          plainHttp: flags.plainHttp,
          created: flags.created,
          format: checkFormat(flags.format),
          onProgress: progressPrinter(process.stderr),
        });
        if (flags.json) {
          process.stdout.write(JSON.stringify(result, null, 2) + '\n');
        } else {
          process.stderr.write(
            `published ${name} ${version} (${result.gates}, ${humanBytes(result.size)}; ${result.uploaded} blob(s) uploaded, ${result.skipped} already there)\n`,
          );
          process.stdout.write(`${result.reference}@${result.digest}\n`);
          if (result.tags.length > 1) process.stderr.write(`tags: ${result.tags.join(', ')}\n`);
        }
      } catch (err) {
        failPublishing(err);
      }
    });
}
