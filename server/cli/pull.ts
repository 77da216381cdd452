// `modelgate pull <ref> [dir]`: fetches a published model version (model,
// model.yaml, reports) into a directory, digest-checked. `--layout triton`
// writes only the model as a Triton model repository: this is what the
// KServe storage initializer runs (`modelgate pull --layout triton
// modelgate://host/repo@sha256:… /mnt/models`, docs/kubernetes.md).
import type { Command } from 'commander';
import { pullModel } from '../publish/pullModel';
import { fail } from './exit';
import { failPublishing, humanBytes } from './publish';

export function registerPull(program: Command): void {
  program
    .command('pull')
    .description('download a published model version into a directory')
    .argument('<ref>', 'oci://HOST[:PORT]/REPO[:TAG|@DIGEST] (or modelgate://…) or LAYOUT_DIR[:TAG] (no tag: the highest version)')
    .argument('[dir]', 'target directory (default: <name>-<tag> in the current directory)')
    .option('--plain-http', 'talk plain http to a non-loopback registry')
    .option('--json', 'print the result as JSON on stdout')
    .option('--layout <layout>', 'files: every layer under its title (default); triton: only the model, as DIR/<model name>/1/model.onnx', 'files')
    .action(async (ref: string, dir: string | undefined, flags: { plainHttp?: boolean; json?: boolean; layout: string }) => {
      if (flags.layout !== 'files' && flags.layout !== 'triton') fail(`--layout ${flags.layout}: choose files or triton`, 2);
      try {
        const result = await pullModel(ref, dir, { plainHttp: flags.plainHttp, layout: flags.layout, onProgress: (m) => process.stderr.write(`${m}\n`) });
        if (flags.json) {
          process.stdout.write(JSON.stringify(result, null, 2) + '\n');
          return;
        }
        const a = result.annotations;
        process.stderr.write(`pulled ${result.reference}@${result.digest}` + (a['dev.modelgate.gates'] ? ` (gates: ${a['dev.modelgate.gates']})` : '') + '\n');
        for (const f of result.files) process.stderr.write(`  ${f.title} (${humanBytes(f.size)})\n`);
        process.stdout.write(`${result.dir}\n`);
      } catch (err) {
        failPublishing(err);
      }
    });
}
