// Runs `modelgate` commands in one child process (see cliChild.ts) and
// returns each one's exit code, stdout and stderr.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface CliStep {
  args: string[];
  env?: Record<string, string | null>;
}
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli<const S extends readonly CliStep[]>(steps: S, env: NodeJS.ProcessEnv = process.env): Promise<{ -readonly [K in keyof S]: CliResult }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'cliChild.ts'), JSON.stringify(steps)], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        const results = JSON.parse(out) as CliResult[];
        if (results.length !== steps.length) throw new Error('short');
        resolve(results as { -readonly [K in keyof S]: CliResult });
      } catch {
        reject(new Error(`cli child exited ${code} without results: ${err.trim() || out.trim()}`));
      }
    });
  });
}
