// `modelgate init <model.onnx>`: writes a starter model.yaml next to the model
// (or at --output) from the model's signature and the CSVs found beside it
// (or given with --data): label column, features per input, class labels,
// a validation split of a single CSV. With validation data it then measures
// the model once (metrics, a short stress probe, drift) and writes gates just
// below what was measured, so the first `modelgate test` is green and every
// threshold says where it came from. Refuses to overwrite without --force.
import { access, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { buildStarterManifest, type StarterOptions } from '../manifest/init';
import { parseManifest } from '../manifest/parse';
import { validateManifest } from '../manifest/validate';
import { measureStarter } from '../pipeline/measure';
import { ModelLoadError } from '../runtime/onnx';
import { CliExit, fail } from './exit';
import { formatText } from './lint';

interface InitFlags {
  output?: string;
  force?: boolean;
  data?: string[];
  measure: boolean;
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
    .description(
      'write a starter model.yaml for an ONNX model: its signature, the datasets next to it, label column, features and class labels from the data, and gates set from a first measurement',
    )
    .argument('<model>', 'the .onnx file')
    .option('-o, --output <file>', 'where to write the manifest (default: model.yaml next to the model)')
    .option('-f, --force', 'overwrite an existing manifest (and split files)')
    .option('--data <csv...>', 'the CSV file(s) to use (default: train*/valid*/reference*/current* CSVs, or the one CSV, next to the model or in ./data)')
    .option('--no-measure', 'do not run the model once to set the gates (they are written commented out)')
    .action(async (model: string, flags: InitFlags) => {
      const started = performance.now();
      const modelPath = resolve(model);
      if (!(await exists(modelPath))) fail(`${model}: no such file; give the path of the .onnx model to describe`, 2);
      for (const d of flags.data ?? []) if (!(await exists(resolve(d)))) fail(`--data ${d}: no such file; give the path of a CSV with a header row`, 2);
      const output = resolve(flags.output ?? join(dirname(modelPath), 'model.yaml'));
      const shownPath = (p: string): string => {
        const near = relative(process.cwd(), p);
        return near && !near.startsWith('..') ? near : p;
      };
      const shown = shownPath(output);
      if (!flags.force && (await exists(output))) {
        fail(`${shown} already exists: edit it, choose another file with --output, or overwrite it with --force`, 2);
      }
      const opts: StarterOptions = { modelPath, outputPath: output, ...(flags.data ? { data: flags.data } : {}) };
      let starter;
      try {
        starter = await buildStarterManifest({ ...opts, provisional: flags.measure });
      } catch (err) {
        if (err instanceof ModelLoadError) fail(`${err.message}`, 2);
        throw err;
      }
      for (const f of starter.files) {
        try {
          await writeFile(f.path, f.text, flags.force ? {} : { flag: 'wx' });
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          fail(
            `cannot write ${shownPath(f.path)}: ${code === 'EEXIST' ? 'it already exists; remove it, or overwrite it with --force' : (err as Error).message}`,
            2,
          );
        }
      }
      const write = async (text: string): Promise<void> => {
        try {
          await writeFile(output, text, flags.force ? {} : { flag: 'wx' });
        } catch (err) {
          fail(`cannot write ${shown}: ${(err as NodeJS.ErrnoException).code === 'EEXIST' ? 'it already exists (use --force)' : (err as Error).message}`, 2);
        }
      };
      await write(starter.text);
      process.stdout.write(`wrote ${shown}\n${starter.notes.map((n) => `  ${n}\n`).join('')}`);
      let diagnostics = await validateManifest(parseManifest(starter.text), { manifestPath: output });
      const errors = diagnostics.some((d) => d.severity === 'error');
      if (flags.measure && starter.ready && !errors) {
        process.stderr.write('modelgate: measuring the model once on the validation data (metrics, a short stress probe, drift) to set the gates…\n');
        try {
          let last = '';
          const { measured, seconds } = await measureStarter(output, {
            onProgress: (e) => {
              const line = e.suite !== 'lint' && e.step ? `  [${e.suite}] ${e.step}` : '';
              if (line && line !== last) process.stderr.write(`${line}\n`);
              last = line || last;
            },
          });
          const final = await buildStarterManifest({ ...opts, measured });
          await writeFile(output, final.text);
          diagnostics = await validateManifest(parseManifest(final.text), { manifestPath: output });
          const set = measured.metrics.map((m) => `${m.metric}${m.average ? ` (${m.average})` : ''} ${Number(m.value.toPrecision(4))}`);
          if (measured.p99Ms !== undefined) set.push(`p99 ${Number(measured.p99Ms.toPrecision(3))} ms`);
          if (measured.driftedShare !== undefined) set.push(`drifted share ${Number(measured.driftedShare.toPrecision(3))}`);
          process.stdout.write(
            `  measured in ${seconds.toFixed(1)} s on ${measured.rows} validation rows: ${set.join(', ')}; gates set just below (each line says how)\n`,
          );
        } catch (err) {
          process.stdout.write(
            `  could not measure the model (${(err as Error).message.split('\n')[0]}): the gates are placeholders; fix the manifest, then \`modelgate init --force\` or set them by hand\n`,
          );
        }
      } else if (flags.measure && !starter.ready) {
        process.stdout.write(
          '  gates not measured: init needs a label column, columns for every input and validation data (see above); the gates are written commented out\n',
        );
      }
      if (diagnostics.length > 0) process.stdout.write(formatText([{ path: shown, diagnostics }], false));
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      if (!diagnostics.some((d) => d.severity === 'error'))
        process.stdout.write(`${shown} ${diagnostics.length === 0 ? 'lints clean' : 'has no errors'} (${seconds} s); next: \`modelgate test ${shown}\`\n`);
      if (diagnostics.some((d) => d.severity === 'error')) throw new CliExit(1, 'the starter manifest has errors');
    });
}
