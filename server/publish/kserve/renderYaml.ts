// Multi-document YAML for `--dry-run`: what would be applied, readable by
// `kubectl apply -f -` and by people.
import { stringify } from 'yaml';
import type { KubeObject } from './objects';

export function renderYaml(objects: readonly KubeObject[]): string {
  // lineWidth 0: never fold long values (digests, URIs) across lines.
  return objects
    .map((o) => stringify(o, { lineWidth: 0 }))
    .map((doc) => `---\n${doc}`)
    .join('');
}
