// Child process for cliHarness.ts: runs several `modelgate` invocations
// through the real command table, each with its own env overrides, and
// prints their exit codes and output as one JSON document. Capturing
// stdout here, outside node:test, keeps the runner's own stream intact.
import { main } from '../../../server/cli';
import { CliExit } from '../../../server/cli/exit';

interface Step {
  args: string[];
  env?: Record<string, string | null>;
}

async function run(): Promise<void> {
  const steps = JSON.parse(process.argv[2] ?? '[]') as Step[];
  const realOut = process.stdout.write.bind(process.stdout);
  const realErr = process.stderr.write.bind(process.stderr);
  const results: { code: number; stdout: string; stderr: string }[] = [];
  for (const step of steps) {
    let stdout = '';
    let stderr = '';
    const saved: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(step.env ?? {})) {
      saved[k] = process.env[k];
      if (v === null) delete process.env[k];
      else process.env[k] = v;
    }
    process.stdout.write = ((s: string | Uint8Array) => {
      stdout += String(s);
      return true;
    }) as typeof process.stdout.write;
    process.stderr.write = ((s: string | Uint8Array) => {
      stderr += String(s);
      return true;
    }) as typeof process.stderr.write;
    CliExit.code = undefined;
    let code: number;
    try {
      code = await main(['node', 'modelgate', ...step.args]);
    } catch (err) {
      code = 70;
      stderr += `internal error: ${(err as Error).stack ?? String(err)}\n`;
    } finally {
      process.stdout.write = realOut;
      process.stderr.write = realErr;
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    results.push({ code, stdout, stderr });
  }
  realOut(JSON.stringify(results));
}

void run();
