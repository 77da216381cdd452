// Entry point of the extension-host integration suite (mocha, the `vscode`
// API inside a real extension host). Loaded by VS Code through
// `extensionTestsPath`: by @vscode/test-electron (`npm run test:vscode`) or by
// code-server's smoke-test driver (test/e2e/extensionHost.test.ts). Runs every
// bundled *.spec.js next to this file; rejects when a test fails, which makes
// the host exit with code 1.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 120_000, reporter: 'spec' });
  for (const name of readdirSync(__dirname)
    .filter((n) => n.endsWith('.spec.js'))
    .sort())
    mocha.addFile(join(__dirname, name));
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} extension-host test(s) failed`)) : resolve()));
    } catch (err) {
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
