// `modelgate pull <ref> [dir]`: fetches a published model version (model,
// model.yaml, reports) into a directory, digest-checked.
import type { Command } from 'commander';
import { pullModel } from '../publish/pullModel';
import { failPublishing, humanBytes } from './publish';

export function registerPull(program: Command): void {
  program
    .command('pull')
    .description('download a published model version into a directory')
    .argument('<ref>', 'oci://HOST[:PORT]/REPO[:TAG|@DIGEST] or LAYOUT_DIR[:TAG] (no tag: the highest version)')
    .argument('[dir]', 'target directory (default: <name>-<tag> in the current directory)')
    .option('--plain-http', 'talk plain http to a non-loopback registry')
    .option('--json', 'print the result as JSON on stdout')
    .action(async (ref: string, dir: string | undefined, flags: { plainHttp?: boolean; json?: boolean }) => {
      try {
        const result = await pullModel(ref, dir, { plainHttp: flags.plainHttp, onProgress: (m) => process.stderr.write(`${m}\n`) });
        if (flags.json) {
          process.stdout.write(JSON.stringify(result, null, 2) + '\n');
          return;
        }
        const a = result.annotations;
        process.stderr.write(`pulled ${result.reference}@${result.digest}` +
          (a['dev.modelgate.gates'] ? ` (gates: ${a['dev.modelgate.gates']})` : '') + '\n');
        for (const f of result.files) process.stderr.write(`  ${f.title} (${humanBytes(f.size)})\n`);
        process.stdout.write(`${result.dir}\n`);
      } catch (err) {
        failPublishing(err);
      }
    });
}
