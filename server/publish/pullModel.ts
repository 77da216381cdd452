// pullModel: fetches a published model version into a directory, every
// layer under its title (model.onnx, model.yaml, report.json, …), each
// digest-checked and written atomically. Titles that would escape the
// directory are refused.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, normalize, relative, resolve, sep } from 'node:path';
import semver from 'semver';
import { parseDocument } from 'yaml';
import type { OciImageManifest } from './artifactStore';
import { ANNOTATION, DOCKER_MANIFEST_V2, MODEL_ARTIFACT_TYPE, MODEL_MANIFEST_YAML, MODEL_ONNX, OCI_MANIFEST } from './mediaTypes';
import { openStore, type StoreOptions } from './openStore';
import { formatReference, parseReference, type Target } from './reference';
import { ERROR_CODES, ModelGateError } from '../protocol/errors';

export interface PulledFile {
  path: string;
  title: string;
  mediaType: string;
  digest: string;
  size: number;
}

export interface PullResult {
  reference: string;
  digest: string;
  dir: string;
  artifactType?: string;
  annotations: Record<string, string>;
  files: PulledFile[];
}

export class PullError extends ModelGateError {
  constructor(message: string) {
    super(ERROR_CODES.pull, message, 2);
  }
}

/** Refuses absolute paths and `..`: a title is a name inside the target directory. */
export function safeTitlePath(dir: string, title: string): string {
  const norm = normalize(title.replace(/\\/g, '/'));
  if (!title || isAbsolute(title) || /^[A-Za-z]:/.test(title) || norm.split(/[\\/]/).includes('..')) {
    throw new PullError(`the artifact names a file "${title}" outside the target directory; refusing to write it`);
  }
  const p = resolve(dir, norm);
  if (!p.startsWith(resolve(dir) + sep)) throw new PullError(`the artifact names a file "${title}" outside the target directory; refusing to write it`);
  return p;
}

/** `<repository basename>-<tag or short digest>` in the current directory. */
export function defaultPullDir(target: Target, reference: string): string {
  const name = target.kind === 'registry' ? target.repository.split('/').pop()! : basename(target.dir);
  return `${name}-${reference.startsWith('sha256:') ? reference.slice(7, 19) : reference}`;
}

/** The highest semver tag, for references given without a tag. */
export function latestVersionTag(tags: string[]): string | undefined {
  const versions = tags.filter((t) => semver.valid(t.replace(/_/g, '+')));
  versions.sort((a, b) => semver.rcompare(a.replace(/_/g, '+'), b.replace(/_/g, '+')));
  return versions[0];
}

export interface PullOptions extends StoreOptions {
  onProgress?: (message: string) => void;
  /**
   * `files` (default): every layer under its title, a loadable manifest dir.
   * `triton`: only the model, as `<dir>/<model name>/1/model.onnx` — the
   * model repository the KServe Triton runtime reads (docs/kubernetes.md).
   */
  layout?: 'files' | 'triton';
}

export async function pullModel(ref: string, dir: string | undefined, opts: PullOptions = {}): Promise<PullResult> {
  const target = parseReference(ref, opts);
  const store = openStore(target, opts);
  let reference = target.digest ?? target.tag;
  if (!reference) {
    reference = latestVersionTag(await store.listTags());
    if (!reference) throw new PullError(`${store.location} holds no versions; publish one with \`modelgate publish\` or name a tag: ${ref}:1.0.0`);
    opts.onProgress?.(`no tag given: pulling the highest version, ${reference}`);
  }
  const shown = formatReference(target, target.digest ? {} : { tag: reference });
  const fetched = await store.getManifest(reference);
  if (!fetched) throw new PullError(`${shown} does not exist; list versions with \`modelgate versions ${store.location}\``);
  if (fetched.mediaType !== OCI_MANIFEST && fetched.mediaType !== DOCKER_MANIFEST_V2) {
    throw new PullError(`${shown} is a ${fetched.mediaType}, not a single artifact manifest; pull one of its entries by digest`);
  }
  const manifest = JSON.parse(fetched.bytes.toString('utf8')) as OciImageManifest;
  const outDir = resolve(opts.cwd ?? process.cwd(), dir ?? defaultPullDir(target, reference));
  await mkdir(outDir, { recursive: true });
  const files: PulledFile[] = [];
  const triton = opts.layout === 'triton';
  const modelName = manifest.annotations?.[ANNOTATION.model] ?? manifest.annotations?.[ANNOTATION.title];
  if (triton && !modelName)
    throw new PullError(`${shown} has no ${ANNOTATION.model} annotation, so the Triton model directory cannot be named; pull it without --layout triton`);
  if (triton && !(manifest.layers ?? []).some((l) => l.mediaType === MODEL_ONNX))
    throw new PullError(`${shown} has no ONNX model layer (${MODEL_ONNX}); it cannot be served by Triton`);
  for (const layer of manifest.layers ?? []) {
    const title = layer.annotations?.[ANNOTATION.title];
    if (!title) throw new PullError(`${shown} has a layer ${layer.digest} without an ${ANNOTATION.title} annotation; it is not a ModelGate artifact`);
    if (triton && layer.mediaType !== MODEL_ONNX) continue;
    const path = safeTitlePath(outDir, triton ? `${modelName}/1/model.onnx` : title);
    await mkdir(dirname(path), { recursive: true });
    opts.onProgress?.(`downloading ${title} (${layer.size} bytes)`);
    await store.downloadBlob(layer.digest, layer.size, path);
    files.push({ path, title, mediaType: layer.mediaType, digest: layer.digest, size: layer.size });
  }
  if (!triton) await pointManifestAtModel(files, opts.onProgress);
  const result: PullResult = { reference: shown, digest: fetched.digest, dir: outDir, annotations: manifest.annotations ?? {}, files };
  if (manifest.artifactType) result.artifactType = manifest.artifactType;
  if (manifest.artifactType !== MODEL_ARTIFACT_TYPE)
    opts.onProgress?.(`note: ${shown} has artifactType ${manifest.artifactType ?? '(none)'}, not ${MODEL_ARTIFACT_TYPE}`);
  return result;
}

/**
 * A model file outside the manifest's folder (`artifact: ../other/model.onnx`)
 * is stored under its base name, so after a pull `model.artifact` would point
 * nowhere. Rewrites that one field (comments and layout kept) so the pulled
 * directory is a loadable manifest dir. Data files are not layers: data paths
 * are left as written (a pulled baseline is scored on the challenger's data).
 */
export async function pointManifestAtModel(files: PulledFile[], onProgress?: (message: string) => void): Promise<void> {
  const yamlFile = files.find((f) => f.mediaType === MODEL_MANIFEST_YAML);
  const onnx = files.find((f) => f.mediaType === MODEL_ONNX);
  if (!yamlFile || !onnx) return;
  const doc = parseDocument(await readFile(yamlFile.path, 'utf8'));
  const artifact = doc.getIn(['model', 'artifact']);
  if (typeof artifact !== 'string' || resolve(dirname(yamlFile.path), artifact) === onnx.path) return;
  const rel = relative(dirname(yamlFile.path), onnx.path).split(sep).join('/');
  doc.setIn(['model', 'artifact'], rel);
  const tmp = `${yamlFile.path}.tmp`;
  await writeFile(tmp, doc.toString());
  await rename(tmp, yamlFile.path);
  onProgress?.(`${yamlFile.title}: model.artifact ${artifact} → ${rel} (the model file was stored under that name)`);
}
