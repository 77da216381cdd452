// pullModel: fetches a published model version into a directory, every
// layer under its file name (model.onnx, model.yaml, report.json, …), each
// digest-checked and written atomically. Reads both formats: ModelPack
// (including artifacts other tools wrote, whose tar layers are extracted)
// and the earlier ModelGate format. Names that would escape the directory
// are refused.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import * as tar from 'tar';
import { basename, dirname, isAbsolute, normalize, relative, resolve, sep } from 'node:path';
import semver from 'semver';
import { parseDocument } from 'yaml';
import type { OciImageManifest } from './artifactStore';
import {
  ANNOTATION,
  DOCKER_MANIFEST_V2,
  isTarLayer,
  layerFilePath,
  layerRole,
  MODEL_ARTIFACT_TYPE,
  MODELPACK,
  MODELPACK_ANNOTATION,
  OCI_MANIFEST,
  type LayerRole,
} from './mediaTypes';
import { openStore, type StoreOptions } from './openStore';
import { formatReference, parseReference, type Target } from './reference';
import { ERROR_CODES, ModelGateError } from '../protocol/errors';

export interface PulledFile {
  path: string;
  title: string;
  mediaType: string;
  /** The layer's digest (for a file extracted from a tar layer, the archive's). */
  digest: string;
  size: number;
  role: LayerRole;
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
  const layers = manifest.layers ?? [];
  const modelName = manifest.annotations?.[ANNOTATION.model] ?? manifest.annotations?.[ANNOTATION.title];
  const isModelLayer = (l: (typeof layers)[number]) => !isTarLayer(l.mediaType) && layerRole(l.mediaType, layerFilePath(l.annotations) ?? '') === 'model';
  if (triton && !modelName)
    throw new PullError(`${shown} has no ${ANNOTATION.model} annotation, so the Triton model directory cannot be named; pull it without --layout triton`);
  if (triton && !layers.some(isModelLayer)) throw new PullError(`${shown} has no ONNX model layer; it cannot be served by Triton`);
  for (const layer of layers) {
    const title = layerFilePath(layer.annotations);
    if (!title)
      throw new PullError(
        `${shown} has a layer ${layer.digest} with neither ${MODELPACK_ANNOTATION.filepath} nor ${ANNOTATION.title}, so it has no file name; it is not a model artifact ModelGate can lay out`,
      );
    if (triton && !isModelLayer(layer)) continue;
    if (isTarLayer(layer.mediaType)) {
      // a tar layer (ModelPack as KitOps or modctl may write it): downloaded, checked, then extracted in place
      const archive = safeTitlePath(outDir, `.${layer.digest.replace(':', '-')}.tar`);
      opts.onProgress?.(`downloading ${title} (${layer.size} bytes, an archive)`);
      await store.downloadBlob(layer.digest, layer.size, archive);
      try {
        for (const entry of await extractTar(archive, outDir, shown)) {
          files.push({
            path: entry.path,
            title: entry.name,
            mediaType: layer.mediaType,
            digest: layer.digest,
            size: entry.size,
            role: layerRole(layer.mediaType, entry.name),
          });
        }
      } finally {
        await rm(archive, { force: true });
      }
      continue;
    }
    const path = safeTitlePath(outDir, triton ? `${modelName}/1/model.onnx` : title);
    await mkdir(dirname(path), { recursive: true });
    opts.onProgress?.(`downloading ${title} (${layer.size} bytes)`);
    await store.downloadBlob(layer.digest, layer.size, path);
    files.push({ path, title, mediaType: layer.mediaType, digest: layer.digest, size: layer.size, role: layerRole(layer.mediaType, title) });
  }
  if (!triton) await pointManifestAtModel(files, opts.onProgress);
  const result: PullResult = { reference: shown, digest: fetched.digest, dir: outDir, annotations: manifest.annotations ?? {}, files };
  if (manifest.artifactType) result.artifactType = manifest.artifactType;
  if (manifest.artifactType !== MODELPACK.artifactType && manifest.artifactType !== MODEL_ARTIFACT_TYPE)
    opts.onProgress?.(
      `note: ${shown} has artifactType ${manifest.artifactType ?? '(none)'}, neither a ModelPack (${MODELPACK.artifactType}) nor a ModelGate model`,
    );
  if (!triton && !files.some((f) => f.role === 'manifest')) {
    const onnx = files.find((f) => f.role === 'model') ?? files.find((f) => /\.onnx$/i.test(f.title));
    opts.onProgress?.(
      `${shown} holds no model.yaml (it was not published by ModelGate)${onnx ? `; write a starter manifest with \`modelgate init ${relative(process.cwd(), onnx.path) || onnx.path}\`` : ''}`,
    );
  }
  return result;
}

/**
 * Extracts a tar layer (plain, gzip or zstd; node-tar detects which) into
 * `dir`. Only regular files and folders: links, devices and entries that
 * would land outside `dir` make the pull fail (strict mode), never a write
 * elsewhere.
 */
async function extractTar(archive: string, dir: string, shown: string): Promise<{ path: string; name: string; size: number }[]> {
  const out: { path: string; name: string; size: number }[] = [];
  const refused: string[] = [];
  await tar
    .x({
      file: archive,
      cwd: dir,
      strict: true,
      preservePaths: false,
      preserveOwner: false,
      filter: (path, entry) => {
        const type = 'type' in entry ? entry.type : 'File';
        if (type !== 'File' && type !== 'OldFile' && type !== 'Directory') {
          refused.push(`${path} (${type})`);
          return false;
        }
        if (type !== 'Directory') {
          safeTitlePath(dir, path);
          out.push({ path: resolve(dir, normalize(path)), name: normalize(path).split(sep).join('/'), size: 'size' in entry ? Number(entry.size) : 0 });
        }
        return true;
      },
    })
    .catch((err: Error) => {
      throw err instanceof PullError
        ? err
        : new PullError(`${shown}: a tar layer could not be extracted (${err.message}); the artifact is damaged or not a tar archive`);
    });
  if (refused.length) throw new PullError(`${shown}: a tar layer holds ${refused.join(', ')}; only regular files are pulled`);
  return out;
}

/**
 * A model file outside the manifest's folder (`artifact: ../other/model.onnx`)
 * is stored under its base name, so after a pull `model.artifact` would point
 * nowhere. Rewrites that one field (comments and layout kept) so the pulled
 * directory is a loadable manifest dir. Data files are not layers: data paths
 * are left as written (a pulled baseline is scored on the challenger's data).
 */
export async function pointManifestAtModel(files: PulledFile[], onProgress?: (message: string) => void): Promise<void> {
  const yamlFile = files.find((f) => f.role === 'manifest');
  const onnx = files.find((f) => f.role === 'model');
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
