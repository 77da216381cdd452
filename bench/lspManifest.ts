// Generates a large manifest for the language-server benchmark: the
// breast-cancer sample grown to ~1,000 lines with preprocessing steps, metric
// gates on slices and per-feature drift overrides, all valid against the
// schema so the validator runs every layer.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function generateLargeManifest(samplesDir: string, targetLines = 1000): string {
  const base = readFileSync(join(samplesDir, 'breast-cancer', 'model.yaml'), 'utf8');
  const header = readFileSync(join(samplesDir, 'breast-cancer', 'data', 'train.csv'), 'utf8')
    .split('\n')[0]!
    .split(',');
  const features = header.filter((c) => c !== 'target');
  const lines = base.split('\n');
  const cut = (key: string): number => lines.findIndex((l) => l === `${key}:`);

  const drift: string[] = ['    features:'];
  for (const f of features) drift.push(`      ${f}:`, '        method: psi', `        threshold: ${(0.2 + (f.length % 5) / 100).toFixed(2)}`);
  const gates: string[] = [];
  const steps: string[] = [];
  const mean = features.map((_, i) => (10 + i / 7).toFixed(3)).join(', ');
  const std = features.map((_, i) => (1 + i / 13).toFixed(3)).join(', ');
  let i = 0;
  // Grow gates and steps together until the manifest reaches the target size.
  while (lines.length + drift.length + gates.length + steps.length < targetLines) {
    const col = features[i % features.length]!;
    gates.push('    - metric: accuracy', `      slice: {column: ${col}, min: ${(i % 20) / 2}, name: slice-${i}}`, '      min: 0.5');
    steps.push('  - op: standardize', '    input: features', `    mean: [${mean}]`, `    std: [${std}]`);
    i++;
  }

  // Splice from the bottom up so earlier indexes stay valid.
  const driftFeatures = lines.findIndex((l) => l === '    features:');
  const prediction = lines.findIndex((l) => l === '    prediction:');
  lines.splice(driftFeatures, prediction - driftFeatures, ...drift);
  lines.splice(lines.findIndex((l) => l === '  metrics:') + 1, 0, ...gates);
  lines.splice(cut('postprocessing'), 0, ...steps);
  return lines.join('\n');
}
