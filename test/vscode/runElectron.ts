// `npm run test:vscode`: the extension-host suite in a desktop VS Code that
// @vscode/test-electron downloads (once, into .vscode-test/). Needs network
// access to update.code.visualstudio.com; offline, the same suite runs inside
// code-server as part of `npm run test:e2e`.
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { prepareSuite, REPO, SUITE_ROOT } from './prepare';

async function main(): Promise<number> {
  const suite = await prepareSuite();
  try {
    return await runTests({
      version: process.env.VSCODE_TEST_VERSION ?? 'stable',
      extensionDevelopmentPath: REPO,
      extensionTestsPath: suite.index,
      launchArgs: [
        suite.workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        '--user-data-dir',
        join(SUITE_ROOT, 'user-data'),
      ],
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/download|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|getaddrinfo|fetch failed/i.test(message)) {
      process.stderr.write(
        `test:vscode: could not download VS Code (${message}).\n` +
          'It needs access to update.code.visualstudio.com. Offline, run the same suite inside code-server: npm run test:e2e\n',
      );
      return 2;
    }
    process.stderr.write(`test:vscode: the extension-host tests failed: ${message}\n`);
    return 1;
  }
}

main().then((code) => {
  process.exitCode = code;
});
