// `modelgate versions <repo-ref>`: the tags of a repository with creation
// time and gate annotations, newest version first.
import type { Command } from 'commander';
import { listVersions } from '../publish/listVersions';
import { failPublishing } from './publish';

export function registerVersions(program: Command): void {
  program
    .command('versions')
    .description('list the published versions of a model (tags, created, gates)')
    .argument('<repo-ref>', 'oci://HOST[:PORT]/REPO or an OCI layout directory')
    .option('--plain-http', 'talk plain http to a non-loopback registry')
    .option('--json', 'print the versions as JSON on stdout')
    .action(async (ref: string, flags: { plainHttp?: boolean; json?: boolean }) => {
      try {
        const { location, versions } = await listVersions(ref, { plainHttp: flags.plainHttp });
        if (flags.json) {
          process.stdout.write(JSON.stringify({ location, versions }, null, 2) + '\n');
          return;
        }
        if (versions.length === 0) {
          process.stderr.write(`${location} holds no versions yet; publish one with \`modelgate publish model.yaml --to ${location}\`\n`);
          return;
        }
        const rows = versions.map((v) => [
          v.tag,
          v.digest.slice(7, 19),
          v.created ?? '-',
          v.gates ?? '-',
          v.gated === undefined ? '-' : v.gated ? 'gated' : 'UNGATED',
          v.aliases.length ? v.aliases.join(',') : '',
        ]);
        const header = ['TAG', 'DIGEST', 'CREATED', 'GATES', 'GATED', 'ALSO TAGGED'];
        const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
        const line = (r: string[]): string =>
          r
            .map((c, i) => c.padEnd(widths[i]!))
            .join('  ')
            .trimEnd() + '\n';
        process.stdout.write(line(header));
        for (const r of rows) process.stdout.write(line(r));
      } catch (err) {
        failPublishing(err);
      }
    });
}
