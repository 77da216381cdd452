// `modelgate init <model.onnx>`: writes a starter model.yaml next to the model
// (or at --output) from the model's signature and the CSVs found beside it,
// then lints it. Refuses to overwrite an existing file without --force.
import { access, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { buildStarterManifest } from '../manifest/init';
import { parseManifest } from '../manifest/parse';
import { validateManifest } from '../manifest/validate';
import { ModelLoadError } from '../runtime/onnx';
import { CliExit, fail } from './exit';
import { formatText } from './lint';

interface InitFlags {
  output?: string;
  force?: boolean;
}

async function exists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('write a starter model.yaml for an ONNX model, with its signature and the datasets found next to it')
    .argument('<model>', 'the .onnx file')
    .option('-o, --output <file>', 'where to write the manifest (default: model.yaml next to the model)')
    .option('-f, --force', 'overwrite an existing manifest')
    .action(async (model: string, flags: InitFlags) => {
      const modelPath = resolve(model);
      if (!(await exists(modelPath))) fail(`${model}: no such file; give the path of the .onnx model to describe`, 2);
      const output = resolve(flags.output ?? join(dirname(modelPath), 'model.yaml'));
      const near = relative(process.cwd(), output);
      const shown = near && !near.startsWith('..') ? near : output;
      if (!flags.force && (await exists(output))) {
        fail(`${shown} already exists: edit it, choose another file with --output, or overwrite it with --force`, 2);
      }
      let starter;
      try {
        starter = await buildStarterManifest({ modelPath, outputPath: output });
      } catch (err) {
        if (err instanceof ModelLoadError) fail(`${err.message}`, 2);
        throw err;
      }
      try {
        await writeFile(output, starter.text, flags.force ? {} : { flag: 'wx' });
      } catch (err) {
        fail(`cannot write ${shown}: ${(err as NodeJS.ErrnoException).code === 'EEXIST' ? 'it already exists (use --force)' : (err as Error).message}`, 2);
      }
      process.stdout.write(`wrote ${shown}\n${starter.notes.map((n) => `  ${n}\n`).join('')}`);
      const diagnostics = await validateManifest(parseManifest(starter.text), { manifestPath: output });
      if (diagnostics.length > 0) process.stdout.write(formatText([{ path: shown, diagnostics }], false));
      else process.stdout.write(`${shown} lints clean; next: set the gates, then \`modelgate test ${shown}\`\n`);
      if (diagnostics.some((d) => d.severity === 'error')) throw new CliExit(1, 'the starter manifest has errors');
    });
}
