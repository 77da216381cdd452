// Shared pieces of the serving integration tests: sample paths, a temp copy
// of a sample (for editing or batching variants), and small HTTP helpers.
import { readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const root = resolve(__dirname, '../../..');
export const sample = (name: string) => resolve(root, 'samples', name, 'model.yaml');
export const fixture = (name: string) => resolve(root, 'test/fixtures', name, 'model.yaml');

/** Copies a sample (model, data, manifest) to a temp dir; `edit` rewrites its model.yaml. */
export async function copySample(name: string, edit?: (yaml: string) => string): Promise<{ dir: string; manifest: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `mg-${name}-`));
  await cp(resolve(root, 'samples', name), dir, { recursive: true });
  const manifest = join(dir, 'model.yaml');
  if (edit) await writeFile(manifest, edit(await readFile(manifest, 'utf8')));
  return { dir, manifest, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function postJson(url: string, body: unknown): Promise<{ status: number; json: any; text: string }> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await r.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: r.status, json, text };
}

/** The first `n` rows of a sample's validation CSV, feature columns only (the label is last). */
export function validationRows(name: string, n: number, width: number): number[][] {
  const text = readFileSync(resolve(root, 'samples', name, 'data/validation.csv'), 'utf8');
  return text
    .trim()
    .split('\n')
    .slice(1, n + 1)
    .map((l) => l.split(',').slice(0, width).map(Number));
}

/** Sum of a metric's samples in Prometheus text whose labels include `labels`. */
export function metricSum(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) sum += Number(m[3]);
  }
  return sum;
}
