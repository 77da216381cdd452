// `modelgate test <manifest>`: runs the stress, staleness and metric suites,
// shows progress, prints the gate table and verdict, writes the JSON and
// HTML reports. Exit 0 when every declared gate passed, 1 when one failed,
// 2 on a usage or configuration error, 3 when nothing failed but a gate is
// inconclusive or not run, 130 when cancelled with Ctrl-C.
import { writeFile } from 'node:fs/promises';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { parseDuration } from '../manifest/durations';
import { existsSync } from 'node:fs';
import { DATA_ROLES, formatDiagnostic, ManifestError, type DataRole } from '../manifest/load';
import { ModelLoadError } from '../runtime/onnx';
import { PortInUseError } from '../serving/server';
import { runTests, SUITES, TestUsageError } from '../pipeline';
import type { ProgressEvent, Report, SuiteId } from '../protocol/report';
import { renderReportHtml } from '../report/html';
import { summaryTable } from '../report/summary';
import { CliExit, fail, VERDICT_EXIT, VERDICT_HELP } from './exit';

interface TestFlags {
  only?: string;
  json?: string;
  report?: string;
  baseline?: string;
  url?: string;
  duration?: string;
  concurrency?: string;
  quick?: boolean;
  port?: string;
  data?: string[];
  progress: boolean;
}

/** `--data validation=val.csv reference=ref.csv`: the data files to use instead of the manifest's, or a usage error. */
export function parseDataFlags(values: string[] | undefined): Partial<Record<DataRole, string>> | undefined {
  if (!values || values.length === 0) return undefined;
  const out: Partial<Record<DataRole, string>> = {};
  for (const v of values) {
    const m = /^([a-z]+)=(.+)$/.exec(v);
    if (!m || !DATA_ROLES.includes(m[1] as DataRole))
      fail(`--data ${v}: give ROLE=FILE with ROLE one of ${DATA_ROLES.join(', ')}, e.g. --data validation=data/validation.csv`, 2);
    if (!existsSync(m[2]!)) fail(`--data ${v}: ${m[2]} does not exist; give the path of a CSV with a header row`, 2);
    out[m[1] as DataRole] = m[2]!;
  }
  return out;
}

/** `--port 8500`: a whole number from 1 to 65535, or a usage error. */
export function parsePort(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > 65535)
    fail(`--port ${value} is not a port: use a whole number from 1 to 65535 (or leave it out for a free one)`, 2);
  return n;
}

/** `--concurrency 1,8,32`: positive whole numbers, comma-separated. */
export function parseConcurrency(value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  const parts = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = parts.filter((p) => !/^[1-9]\d{0,3}$/.test(p));
  if (parts.length === 0 || bad.length) {
    fail(
      `--concurrency ${value}: ${bad.length ? `${bad.map((b) => `"${b}"`).join(', ')} is not a connection count` : 'no connection count given'}; give whole numbers from 1 to 9999, comma-separated, e.g. --concurrency 1,8,32`,
      2,
    );
  }
  return parts.map(Number);
}

export function parseOnly(value: string | undefined): SuiteId[] | undefined {
  if (value === undefined) return undefined;
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = list.filter((s) => !SUITES.includes(s as SuiteId));
  if (bad.length || list.length === 0)
    fail(
      `--only ${value}: ${bad.length ? `unknown suite ${bad.map((b) => `"${b}"`).join(', ')}` : 'no suite named'}; choose from ${SUITES.join(', ')} (comma-separated)`,
      2,
    );
  return list as SuiteId[];
}

/** Progress on stderr: a bar on a terminal, one line per step otherwise (CI logs). */
export function progressReporter(enabled: boolean): { onProgress: (e: ProgressEvent) => void; stop: () => void } {
  if (!enabled) return { onProgress: () => undefined, stop: () => undefined };
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { stream: process.stderr, format: '{suite} |{bar}| {percentage}% | {step}', hideCursor: true, clearOnComplete: true, barsize: 24 },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    let suite: string | undefined;
    return {
      onProgress(e) {
        const payload = { suite: (e.suite ?? '').padEnd(9), step: e.message ? `${e.step}: ${e.message}` : e.step };
        if (!started) {
          bar.start(100, 0, payload);
          started = true;
        }
        // A step without a percent keeps the bar where it is, unless another suite took over.
        const percent = e.percent ?? (e.suite === suite ? bar.getProgress() * 100 : 0);
        suite = e.suite;
        bar.update(Math.round(percent), payload);
      },
      stop: () => {
        if (started) bar.stop();
      },
    };
  }
  let last = '';
  return {
    onProgress(e) {
      const key = `${e.suite ?? ''} ${e.step}`;
      if (key === last) return;
      last = key;
      process.stderr.write(`[${e.suite ?? 'test'}] ${e.step}${e.message ? `: ${e.message}` : ''}\n`);
    },
    stop: () => undefined,
  };
}

async function writeReports(report: Report, flags: TestFlags): Promise<void> {
  if (flags.json) {
    await writeFile(flags.json, JSON.stringify(report, null, 2) + '\n');
    process.stderr.write(`modelgate: report written to ${flags.json}\n`);
  }
  if (flags.report) {
    await writeFile(flags.report, renderReportHtml(report));
    process.stderr.write(`modelgate: HTML report written to ${flags.report}\n`);
  }
}

export function registerTest(program: Command): void {
  program
    .command('test')
    .description('Run the stress, staleness and metric suites against a model and check every gate in its manifest')
    .addHelpText('after', VERDICT_HELP)
    .argument('<manifest>', 'model.yaml, or a directory holding it')
    .option('--only <suites>', `comma-separated suites to run (${SUITES.join(', ')})`)
    .option('--json <file>', 'write the report as JSON')
    .option('--report <file>', 'write a self-contained HTML report')
    .option(
      '--baseline <manifest|ref>',
      'the previous model (champion) to compare with: its model.yaml, or a published version (oci://HOST/REPO:TAG, LAYOUT_DIR:TAG); gated by gates.maxRegression',
    )
    .option('--url <url>', 'test an already running server (e.g. http://127.0.0.1:8500) instead of starting one')
    .option('--duration <d>', 'length of each stress point, e.g. 2s (overrides slo.duration)')
    .option('--concurrency <list>', 'connection counts of the stress sweep, e.g. 1,8,32 (overrides slo.concurrency)')
    .option('--quick', 'a short stress sweep (two concurrency levels, short warm-up); the SLO gates are still measured')
    .option('--port <port>', 'port of the server the tests start on 127.0.0.1 (default: a free one)')
    .option(
      '--data <role=csv...>',
      "data files to use instead of the manifest's (roles: training, validation, reference, current), e.g. for a pulled model, which holds no data",
    )
    .option('--no-progress', 'no progress output')
    .action(async (manifest: string, flags: TestFlags) => {
      const port = parsePort(flags.port);
      const data = parseDataFlags(flags.data);
      if (port !== undefined && flags.url !== undefined)
        fail('--port sets the port of the server the tests start; with --url they start none: give one of the two', 2);
      const only = parseOnly(flags.only);
      const concurrency = parseConcurrency(flags.concurrency);
      if (flags.duration !== undefined && parseDuration(flags.duration) === undefined) {
        fail(`--duration ${flags.duration} is not a duration: use a whole number followed by ms, s, m or h, e.g. 5s`, 2);
      }
      if (flags.url !== undefined && !/^https?:\/\/[^\s/]+/.test(flags.url)) fail(`--url ${flags.url} is not an http(s) URL, e.g. http://127.0.0.1:8500`, 2);

      const controller = new AbortController();
      let interrupted = false;
      const onSigint = () => {
        if (interrupted) {
          process.stderr.write('\nmodelgate: interrupted again: exiting without a report\n');
          process.exit(130);
        }
        interrupted = true;
        process.stderr.write('\nmodelgate: cancelling: stopping the server and load generator, writing what was measured…\n');
        controller.abort();
      };
      process.on('SIGINT', onSigint);
      const progress = progressReporter(flags.progress);
      let report: Report;
      try {
        report = await runTests(manifest, {
          only,
          baseline: flags.baseline,
          url: flags.url,
          duration: flags.duration,
          concurrency,
          ...(flags.quick ? { stress: { quick: true } } : {}),
          ...(port !== undefined ? { port } : {}),
          ...(data ? { data } : {}),
          signal: controller.signal,
          onProgress: progress.onProgress,
        });
      } catch (err) {
        progress.stop();
        if (err instanceof ManifestError) {
          const lines = err.diagnostics.filter((d) => d.severity === 'error').map((d) => '  ' + formatDiagnostic(err.path, d));
          fail(lines.length ? `${err.path} is not a usable manifest:\n${lines.join('\n')}` : err.message, 2);
        }
        if (err instanceof TestUsageError || err instanceof ModelLoadError || err instanceof PortInUseError) fail(err.message, 2);
        throw err;
      } finally {
        process.off('SIGINT', onSigint);
      }
      progress.stop();
      process.stdout.write(summaryTable(report) + '\n');
      await writeReports(report, flags).catch((err: Error) => fail(`cannot write the report: ${err.message}`, 2));
      if (report.summary.verdict === 'cancelled') throw new CliExit(VERDICT_EXIT.cancelled, 'cancelled');
      if (report.summary.verdict !== 'passed') CliExit.code = VERDICT_EXIT[report.summary.verdict];
    });
}
