// Decides whether a YAML document is a ModelGate manifest. Content decides:
// other tools' YAML (Kubernetes, CI files, another `apiVersion`) must never
// get our diagnostics, even when it is called model.yaml.

export type ManifestKind =
  /** `apiVersion: modelgate/...` at the top level: lint, complete, hover. */
  | 'manifest'
  /** Named like a manifest but without any apiVersion: only offer to add it. */
  | 'candidate'
  /** Someone else's YAML: leave it alone. */
  | 'other';

// The markers are top-level keys, so they start at column 0. Only the head
// of a huge file is searched; a manifest starts with them by convention.
const HEAD = 256 * 1024;
const API_VERSION = /^apiVersion[ \t]*:[ \t]*["']?([^"'\s#]*)/m;
const KIND = /^kind[ \t]*:[ \t]*["']?([^"'\s#]*)/m;

export function isManifestFileName(uri: string): boolean {
  const name = decodeURIComponent(
    uri
      .replace(/[?#].*$/, '')
      .split('/')
      .pop() ?? '',
  );
  return name === 'model.yaml' || name === 'model.yml' || /\.model\.ya?ml$/.test(name);
}

export function recogniseManifest(uri: string, text: string): ManifestKind {
  const head = text.length > HEAD ? text.slice(0, HEAD) : text;
  const api = API_VERSION.exec(head)?.[1];
  if (api !== undefined && api.startsWith('modelgate/')) return 'manifest';
  if (api !== undefined && api !== '') return 'other';
  const kind = KIND.exec(head)?.[1];
  // `kind: Model` alone is too common a word to claim a file by; the name must agree.
  if (isManifestFileName(uri)) return kind === undefined || kind === '' || kind === 'Model' ? 'candidate' : 'other';
  return 'other';
}
