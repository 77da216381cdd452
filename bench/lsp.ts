// Language-server benchmark, over real stdio (`modelgate lsp --stdio`):
//   - diagnostics latency after a didChange on a generated 1,000-line
//     manifest, model metadata cached, debounce off (initializationOption
//     debounceMs: 0): from sending didChange to publishDiagnostics for that version;
//   - first diagnostics of each sample including its ONNX load (fresh server each);
//   - completion round trip;
//   - the server's resident memory (VmRSS / VmHWM from /proc).
// Prints the figures against their targets and writes bench-results/lsp.json.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO, startLspClient, type LspClient } from '../test/integration/lsp/lspClient';
import { generateLargeManifest } from './lspManifest';

const SAMPLES = join(REPO, 'samples');
const CHANGES = 200;
const COMPLETIONS = 200;
const WARMUP = 20;

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
}

function procStatus(pid: number, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** utime + stime of a process, in ms. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

async function open(client: LspClient, uri: string, text: string): Promise<number> {
  const t0 = performance.now();
  await client.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  await client.diagnostics(uri, (p) => p.version === 1);
  return performance.now() - t0;
}

async function firstDiagnostics(sample: string): Promise<{ ms: number; diagnostics: number }> {
  const client = startLspClient();
  try {
    await client.initialize({ debounceMs: 0 });
    const path = join(SAMPLES, sample, 'model.yaml');
    const uri = pathToFileURL(path).href;
    const t0 = performance.now();
    await client.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: readFileSync(path, 'utf8') } });
    const d = await client.diagnostics(uri, (p) => p.version === 1);
    return { ms: performance.now() - t0, diagnostics: d.diagnostics.length };
  } finally {
    await client.stop();
  }
}

async function main(): Promise<void> {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, stdio: 'ignore' });
  const load = loadavg()[0]!;

  const first: Record<string, { ms: number; diagnostics: number }> = {};
  for (const sample of ['breast-cancer', 'digits', 'diabetes']) first[sample] = await firstDiagnostics(sample);

  const client = startLspClient();
  await client.initialize({ debounceMs: 0 });
  const pid = client.child.pid!;
  // The document is not written: the server reads the text from didOpen and
  // the model and CSVs next to where the file would be.
  const uri = pathToFileURL(join(SAMPLES, 'breast-cancer', 'bench.model.yaml')).href;
  const text = generateLargeManifest(SAMPLES);
  const lines = text.split('\n');
  const openMs = await open(client, uri, text);
  const opened = await client.diagnostics(uri, (p) => p.version === 1);

  // Each change edits one value in place, as typing does, round-robin in a
  // small section (serving), the gates (~300 lines) and the preprocessing
  // steps (~480 lines), so the re-parsed section size varies.
  const site = (pred: (l: string) => boolean, char: (l: string) => number, values: [string, string]) => {
    const line = lines.findIndex(pred);
    if (line < 0) throw new Error('benchmark manifest changed: edit site not found');
    return { line, character: char(lines[line]!), values };
  };
  const sites = [
    site(
      (l) => l === '  threads: 1',
      () => 11,
      ['2', '1'],
    ),
    site(
      (l) => l === '      min: 0.5',
      () => 13,
      ['6', '5'],
    ),
    site(
      (l) => l.startsWith('    mean: [10.000'),
      () => 11,
      ['2', '1'],
    ),
  ];
  const latencies: number[] = [];
  const cpu0 = cpuMs(pid);
  for (let v = 2; v < CHANGES + WARMUP + 2; v++) {
    const k = v - 2;
    const e = sites[k % sites.length]!;
    const text = e.values[Math.floor(k / sites.length) % 2]!;
    const t0 = performance.now();
    await client.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: v },
      contentChanges: [{ range: { start: { line: e.line, character: e.character }, end: { line: e.line, character: e.character + 1 } }, text }],
    });
    const published = await client.diagnostics(uri, (p) => p.version === v);
    if (published.diagnostics.length !== opened.diagnostics.length)
      throw new Error(`edit ${v} changed the diagnostics: ${JSON.stringify(published.diagnostics[0])}`);
    if (v >= WARMUP + 2) latencies.push(performance.now() - t0);
  }
  const cpuPerChange = (cpuMs(pid) - cpu0) / (CHANGES + WARMUP);

  // Completion at a mix of places: a key, an enum value, an ONNX input name, a column name.
  const at = (pred: (l: string) => boolean, char: (l: string) => number) => {
    const line = lines.findIndex(pred);
    return { line, character: char(lines[line]!) };
  };
  const positions = [
    at(
      (l) => l.startsWith('  task:'),
      () => 2,
    ),
    at(
      (l) => l.startsWith('  hardware:'),
      (l) => l.length,
    ),
    at(
      (l) => l === '    input: features',
      (l) => l.length,
    ),
    at(
      (l) => l.startsWith('  labelColumn:'),
      (l) => l.length,
    ),
  ];
  const completionMs: number[] = [];
  let items = 0;
  for (let i = 0; i < COMPLETIONS + WARMUP; i++) {
    const t0 = performance.now();
    const r = (await client.conn.sendRequest('textDocument/completion', { textDocument: { uri }, position: positions[i % positions.length] })) as {
      items: unknown[];
    };
    if (i >= WARMUP) {
      completionMs.push(performance.now() - t0);
      items += r.items.length;
    }
  }

  const rss = procStatus(pid, 'VmRSS');
  const hwm = procStatus(pid, 'VmHWM');
  await client.stop();

  const results = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model, loadAverage1m: load, node: process.version },
    method:
      'real stdio (node bin/modelgate.js lsp --stdio); debounce disabled with initializationOptions {debounceMs: 0}; latency = didChange sent -> publishDiagnostics of that version received; edits round-robin in serving, gates and preprocessing',
    manifest: { lines: lines.length, bytes: text.length, diagnosticsOnOpen: opened.diagnostics.length, openMs },
    diagnosticsAfterChange: {
      n: latencies.length,
      p50Ms: percentile(latencies, 50),
      p95Ms: percentile(latencies, 95),
      maxMs: Math.max(...latencies),
      serverCpuMsPerChange: cpuPerChange,
      targetP95Ms: 50,
    },
    firstDiagnostics: Object.fromEntries(Object.entries(first).map(([k, v]) => [k, { ...v, targetMs: 500 }])),
    completion: {
      n: completionMs.length,
      p50Ms: percentile(completionMs, 50),
      p95Ms: percentile(completionMs, 95),
      meanItems: items / completionMs.length,
      targetP95Ms: 20,
    },
    memory: { rssMb: rss, peakRssMb: hwm, targetMb: 150 },
  };
  mkdirSync(join(REPO, 'bench-results'), { recursive: true });
  writeFileSync(join(REPO, 'bench-results', 'lsp.json'), JSON.stringify(results, null, 2) + '\n');

  const row = (name: string, value: number, target: number, unit: string) =>
    `${name.padEnd(46)} ${value.toFixed(1).padStart(8)} ${unit.padEnd(3)} target < ${String(target).padEnd(4)} ${value < target ? 'PASS' : 'MISS'}`;
  const out = [
    `Language server over stdio — ${lines.length}-line manifest, ${cpus().length} CPUs, load average ${load.toFixed(2)}`,
    'Debounce disabled for the measurement (initializationOptions.debounceMs = 0); editors get 150 ms.',
    row('diagnostics after didChange p50', results.diagnosticsAfterChange.p50Ms, 50, 'ms'),
    row('diagnostics after didChange p95', results.diagnosticsAfterChange.p95Ms, 50, 'ms'),
    `${'  server CPU per change'.padEnd(46)} ${cpuPerChange.toFixed(1).padStart(8)} ms`,
    ...Object.entries(first).map(([k, v]) => row(`first diagnostics incl. ONNX load: ${k}`, v.ms, 500, 'ms')),
    row('completion p95', results.completion.p95Ms, 20, 'ms'),
    row('server RSS (VmRSS) after the run', rss, 150, 'MB'),
    `${'  peak RSS (VmHWM)'.padEnd(46)} ${hwm.toFixed(1).padStart(8)} MB`,
    'Written to bench-results/lsp.json',
  ];
  process.stdout.write(out.join('\n') + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:lsp failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
