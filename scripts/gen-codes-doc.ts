// Writes docs/diagnostic-codes.md from server/manifest/codes.ts, so the list
// users read is the registry the code uses. Each code is a `### MGxxx` heading:
// its anchor (#mg102) is where the editor's code link opens the rendered page. Run: npx tsx scripts/gen-codes-doc.ts
// (a unit test fails when the committed doc is out of date).
import { writeFileSync } from 'node:fs';
import { CODES, type CodeInfo } from '../server/manifest/codes';

const GROUPS: Array<[RegExp, string]> = [
  [/^MG1/, 'MG1xx: the manifest'],
  [/^MG2/, 'MG2xx: data'],
  [/^MG3(0\d|10|5\d)$/, 'MG3xx: the model'],
  [/^MG3/, 'MG3xx: serving requests'],
  [/^MG4/, 'MG4xx: publish and deploy'],
];

function cell(s: string): string {
  return s.replace(/\n/g, ' ');
}

export function renderCodesDoc(): string {
  const lines = [
    '# Diagnostic codes',
    '',
    'Every problem ModelGate reports carries a stable code. `modelgate lint` prints it',
    '(`model.yaml:12:5: error MG109 …`), the editor shows it with the squiggle, and the',
    'HTTP server puts it in error bodies. A code keeps its meaning across releases.',
    '',
    'Generated from `server/manifest/codes.ts` by `npx tsx scripts/gen-codes-doc.ts`.',
  ];
  const entries = Object.entries(CODES) as Array<[string, CodeInfo]>;
  const done = new Set<string>();
  for (const [re, title] of GROUPS) {
    const rows = entries.filter(([c]) => re.test(c) && !done.has(c));
    if (rows.length === 0) continue;
    lines.push('', `## ${title}`);
    for (const [code, info] of rows) {
      done.add(code);
      lines.push('', `### ${code}`, '', `**${cell(info.title)}** (${info.severity})`, '', cell(info.meaning), '', `**Fix:** ${cell(info.fix)}`);
    }
  }
  return lines.join('\n') + '\n';
}

if (process.argv[1] && /gen-codes-doc/.test(process.argv[1])) {
  writeFileSync('docs/diagnostic-codes.md', renderCodesDoc());
  process.stdout.write('wrote docs/diagnostic-codes.md\n');
}
