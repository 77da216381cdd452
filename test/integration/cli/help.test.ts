// `--help` of the commands that judge a model states the verdict rules and
// the exit codes, the same ones the commands return (VERDICT_EXIT) and the
// README states.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { before, test } from 'node:test';
import { VERDICT_EXIT } from '../../../server/cli/exit';
import { buildIfStandalone, runCli } from '../../helpers/cli';

const root = resolve(__dirname, '../../..');
before(() => buildIfStandalone());

for (const command of ['test', 'deploy', 'publish']) {
  test(`modelgate ${command} --help lists the verdict rules and every exit code`, async () => {
    const r = await runCli([command, '--help'], { cwd: root, env: { NO_COLOR: '1' } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /passed only when every gate the manifest declares passed/);
    assert.match(r.stdout, new RegExp(`^  ${VERDICT_EXIT.passed} +passed`, 'm'));
    assert.match(r.stdout, new RegExp(`^  ${VERDICT_EXIT.failed} +a gate failed`, 'm'));
    assert.match(r.stdout, /^ {2}2 +usage, configuration or I\/O error/m);
    assert.match(r.stdout, new RegExp(`^  ${VERDICT_EXIT.incomplete} +nothing failed, but the verdict is incomplete`, 'm'));
    assert.match(r.stdout, new RegExp(`^  ${VERDICT_EXIT.cancelled} +cancelled`, 'm'));
  });
}

test('the README states the same exit codes', () => {
  const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
  for (const [code, words] of [
    [VERDICT_EXIT.passed, 'success'],
    [VERDICT_EXIT.failed, 'a check or gate failed'],
    [2, 'usage'],
    [VERDICT_EXIT.incomplete, 'nothing failed but the verdict is'],
    [VERDICT_EXIT.cancelled, 'cancelled'],
  ] as const) {
    assert.match(readme.replace(/\s+/g, ' '), new RegExp(`\\*\\*${code}\\*\\* ${words}`), `README: exit ${code}`);
  }
});
