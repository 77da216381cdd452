// Where a model's ModelGate history lives: the default publish target
// (`.modelgate/registry/<name>`) and the default reports
// (`.modelgate/reports/`) sit in the manifest's project root, found from the
// manifest alone, so every door — `modelgate deploy` from any directory, the
// editor's Publish and Models view, `npm start` — reads and writes the same
// place. The root is the nearest folder at or above the manifest that holds
// a `.modelgate` folder, a `.git` or a `package.json`; without one, the
// manifest's own folder.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const MARKERS = ['.modelgate', '.git', 'package.json'];

export function projectRoot(manifestPath: string): string {
  const start = dirname(resolve(manifestPath));
  for (let dir = start; ; dir = dirname(dir)) {
    if (MARKERS.some((m) => existsSync(join(dir, m)))) return dir;
    if (dirname(dir) === dir) return start;
  }
}
