// `modelgate lint <manifest|dir>...`: checks manifests the way the editor
// does and prints one line per problem in the `path:line:col: severity code
// message` form that CI problem matchers read. Exit 0 when no errors
// (warnings allowed), 1 when a manifest has an error, 2 when a path is
// missing or unreadable.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import type { ManifestDiagnostic, Severity } from '../manifest/diagnostics';
import { MAX_MANIFEST_CHARS, parseManifest, tooLarge } from '../manifest/parse';
import { validateManifest } from '../manifest/validate';
import { CliExit, fail } from './exit';

interface LintFlags {
  format: string;
  semantic: boolean;
}

export interface LintedFile {
  /** As shown: relative to the working directory. */
  path: string;
  diagnostics: ManifestDiagnostic[];
}

const MANIFEST_NAME = /^(model\.yaml|.+\.model\.yaml)$/;

/** Every manifest under `dir`, skipping node_modules and dot directories. */
async function findManifests(dir: string): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.isDirectory()) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      out.push(...(await findManifests(join(dir, e.name))));
    } else if (e.isFile() && MANIFEST_NAME.test(e.name)) {
      out.push(join(dir, e.name));
    }
  }
  return out;
}

/** Expands the arguments to manifest files; what cannot be found is a usage problem. */
export async function collectManifests(args: string[]): Promise<{ files: string[]; problems: string[] }> {
  const files: string[] = [];
  const problems: string[] = [];
  for (const arg of args) {
    const abs = resolve(arg);
    let st;
    try {
      st = await stat(abs);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      problems.push(code === 'ENOENT' ? `${arg}: no such file or directory` : `${arg}: cannot read (${code ?? (err as Error).message})`);
      continue;
    }
    if (st.isDirectory()) {
      const found = await findManifests(abs);
      if (found.length === 0)
        problems.push(`${arg}: no model.yaml or *.model.yaml in this directory or below it (create one with \`modelgate init model.onnx\`)`);
      files.push(...found);
    } else {
      files.push(abs);
    }
  }
  return { files: [...new Set(files)], problems };
}

/** Reads and validates one manifest; undefined with a problem when it cannot be read. */
export async function lintFile(abs: string, semantic: boolean): Promise<{ diagnostics?: ManifestDiagnostic[]; problem?: string }> {
  const shown = relative(process.cwd(), abs) || abs;
  let text: string;
  try {
    // The parser refuses a huge file anyway; do not read gigabytes to learn that.
    const { size } = await stat(abs);
    if (size > MAX_MANIFEST_CHARS * 4) return { diagnostics: [tooLarge(size)] };
    text = await readFile(abs, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { problem: `${shown}: cannot read (${e.code === 'EACCES' ? 'permission denied' : (e.code ?? e.message)})` };
  }
  const parsed = parseManifest(text);
  return { diagnostics: await validateManifest(parsed, { manifestPath: abs, semantic }) };
}

const COLOURS: Record<Severity, string> = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m' };

export function formatText(files: LintedFile[], colour: boolean): string {
  const paint = (s: string, c: string): string => (colour ? `${c}${s}\x1b[0m` : s);
  const lines: string[] = [];
  for (const f of files) {
    for (const d of f.diagnostics) {
      const where = `${f.path}:${d.range.start.line + 1}:${d.range.start.character + 1}:`;
      lines.push(`${colour ? paint(where, '\x1b[1m') : where} ${paint(d.severity, COLOURS[d.severity])} ${paint(d.code, '\x1b[2m')} ${d.message}`);
    }
  }
  lines.push(summaryLine(files));
  return lines.join('\n') + '\n';
}

function count(files: LintedFile[], s: Severity): number {
  return files.reduce((n, f) => n + f.diagnostics.filter((d) => d.severity === s).length, 0);
}

export function summaryLine(files: LintedFile[]): string {
  const total = files.length;
  const manifests = `${total} manifest${total === 1 ? '' : 's'}`;
  const withProblems = files.filter((f) => f.diagnostics.length > 0).length;
  if (withProblems === 0) return `no problems in ${manifests}`;
  const parts = (
    [
      ['error', 'errors'],
      ['warning', 'warnings'],
      ['info', 'infos'],
    ] as const
  )
    .map(([s, plural]) => [count(files, s), s, plural] as const)
    .filter(([n]) => n > 0)
    .map(([n, s, plural]) => `${n} ${n === 1 ? s : plural}`);
  return `${parts.join(', ')} in ${withProblems} of ${manifests}`;
}

export function formatJson(files: LintedFile[]): string {
  const body = {
    version: 1,
    files: files.map((f) => ({
      path: f.path,
      diagnostics: f.diagnostics.map((d) => ({
        code: d.code,
        severity: d.severity,
        message: d.message,
        line: d.range.start.line + 1,
        column: d.range.start.character + 1,
        endLine: d.range.end.line + 1,
        endColumn: d.range.end.character + 1,
      })),
    })),
    summary: { errors: count(files, 'error'), warnings: count(files, 'warning'), infos: count(files, 'info') },
  };
  return JSON.stringify(body, null, 2) + '\n';
}

export function registerLint(program: Command): void {
  program
    .command('lint')
    .description('check model.yaml manifests: YAML, schema, rules, the data files and the ONNX model they name')
    .argument('<paths...>', 'manifest files, or directories to search for model.yaml and *.model.yaml')
    .option('--format <format>', 'output format: text or json', 'text')
    .option('--no-semantic', 'skip the checks that read the data files and the model (schema and rules only)')
    .action(async (paths: string[], flags: LintFlags) => {
      if (flags.format !== 'text' && flags.format !== 'json') fail(`--format ${flags.format}: use text or json`, 2);
      const { files, problems } = await collectManifests(paths);
      const linted: LintedFile[] = [];
      for (const abs of files) {
        const r = await lintFile(abs, flags.semantic);
        if (r.problem) problems.push(r.problem);
        else linted.push({ path: relative(process.cwd(), abs) || abs, diagnostics: r.diagnostics ?? [] });
      }
      const colour = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
      if (linted.length > 0 || flags.format === 'json') process.stdout.write(flags.format === 'json' ? formatJson(linted) : formatText(linted, colour));
      for (const p of problems) process.stderr.write(`modelgate lint: ${p}\n`);
      if (problems.length > 0) throw new CliExit(2, problems[0]);
      if (count(linted, 'error') > 0) CliExit.code = 1;
    });
}
