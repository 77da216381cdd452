// The extension-host suite (test/vscode, mocha on the `vscode` API) run
// offline inside code-server: its smoke-test driver takes the suite from the
// page's `payload` query, runs it in the Node extension host against the
// installed .vsix, forwards mocha's output to the browser console and calls
// `codeAutomationExit(code)` when done. The same suite runs in desktop VS Code
// with `npm run test:vscode`. Mocha's output goes to test-results/.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { after, test } from 'node:test';
import type { Browser, ConsoleMessage } from 'playwright-core';
import { prepareSuite } from '../vscode/prepare';
import { installCodeServer, packageExtension, REPO, startCodeServer, WORKBENCH_SETTINGS, type RunningCodeServer } from './codeServer';
import { CHROMIUM, launchChromium } from '../helpers/chromium';

const RESULTS = join(REPO, 'test-results');
const ci = process.env.CI === 'true';
const missing = existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is missing (apt-get install chromium)`;
if (missing && ci) throw new Error(`e2e: ${missing}`);

let server: RunningCodeServer | undefined;
let browser: Browser | undefined;
const lines: string[] = [];

after(async () => {
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, 'vscode-extension-host.log'), lines.join('\n') + '\n');
  if (server) writeFileSync(join(RESULTS, 'vscode-extension-host-code-server.log'), server.log());
  await browser?.close();
  await server?.stop();
});

/**
 * A console message as the extension host printed it. The workbench forwards
 * it as `['%c INFO', '<css>', '<printf format>', ...args]`: the styled level
 * tag is dropped for INFO (mocha's own lines) and kept otherwise.
 */
async function consoleText(msg: ConsoleMessage): Promise<string> {
  let args: unknown[] = await Promise.all(msg.args().map((a) => a.jsonValue().catch(() => String(a))));
  if (args.length === 0) return msg.text();
  let tag = '';
  if (typeof args[0] === 'string' && args[0].includes('%c')) {
    const styles = args[0].match(/%c/g)!.length;
    tag = args[0].replace(/%c/g, '').trim();
    args = args.slice(1 + styles);
  }
  const body = args.length ? format(...(args as [unknown, ...unknown[]])) : '';
  return tag && tag !== 'INFO' ? `${tag} ${body}` : body;
}

test('the extension-host suite passes inside code-server against the installed .vsix', { skip: missing, timeout: 15 * 60_000 }, async () => {
  const suite = await prepareSuite();
  const install = installCodeServer();
  const vsix = packageExtension();
  server = await startCodeServer(install, {
    vsix,
    smokeTestDriver: true,
    settings: WORKBENCH_SETTINGS,
  });
  // The package carries this platform's onnxruntime binaries only.
  const ortBin = join(server.extensionDir, 'node_modules', 'onnxruntime-node', 'bin', 'napi-v6');
  assert.deepEqual(readdirSync(ortBin), [process.platform]);
  assert.deepEqual(readdirSync(join(ortBin, process.platform)), [process.arch]);
  assert.ok(!existsSync(join(server.extensionDir, 'node_modules', 'global-agent')), 'the install-time downloader was packaged');
  const remote = (path: string) => `vscode-remote://${new URL(server!.url).host}${path}`;
  const payload = [
    ['extensionDevelopmentPath', remote(server.extensionDir)],
    ['extensionTestsPath', remote(suite.index)],
  ];
  browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  let exit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((res) => {
    exit = res;
  });
  // Must exist before the workbench loads: the driver looks for it when the tests end.
  await page.exposeFunction('codeAutomationExit', (code: number) => {
    exit(Number(code));
  });
  const pending: Promise<void>[] = [];
  page.on('console', (m) => {
    pending.push(
      consoleText(m).then(
        (t) => {
          lines.push(t);
        },
        () => undefined,
      ),
    );
  });
  await page.goto(`${server.url}/?folder=${encodeURIComponent(suite.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
  const code = await exited;
  await Promise.all(pending);
  await page.screenshot({ path: join(RESULTS, 'vscode-extension-host.png') }).catch(() => undefined);
  const output = lines.join('\n');
  // Mocha's spec reporter: "N passing", and "M failing" when any failed.
  const passing = /(\d+) passing/.exec(output);
  assert.ok(passing, `mocha's summary never arrived (exit code ${code}); the console said:\n${output.slice(-4000)}`);
  assert.equal(code, 0, `the extension-host suite failed:\n${output.slice(-6000)}`);
  assert.doesNotMatch(output, /\d+ failing/);
  assert.ok(Number(passing[1]) >= 10, `only ${passing[1]} extension-host tests ran`);
});
