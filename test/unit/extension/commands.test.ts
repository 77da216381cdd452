import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { codeAnchor, explainCodeHref, isCodesDocLink } from '../../../extension/codeLink';
import { COMMAND_CATEGORY, COMMANDS, isManifestPath, MANIFEST_COMMANDS } from '../../../extension/commandIds';

interface Contributed {
  command: string;
  title: string;
  category?: string;
  icon?: string;
}
const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
const contributed: Contributed[] = pkg.contributes.commands;

test('the command table and contributes.commands list the same commands', () => {
  assert.deepEqual(contributed.map((c) => c.command).sort(), Object.keys(COMMANDS).sort());
});

test('each contributed command has the table title, icon and the ModelGate category', () => {
  for (const c of contributed) {
    const meta = COMMANDS[c.command as keyof typeof COMMANDS] as { title: string; icon?: string };
    assert.equal(c.title, meta.title, c.command);
    assert.equal(c.icon, meta.icon, c.command);
    assert.equal(c.category, COMMAND_CATEGORY, c.command);
  }
});

test('every menu entry names a contributed command, and manifest commands are in the explorer menu', () => {
  const ids = new Set(contributed.map((c) => c.command));
  for (const [menu, entries] of Object.entries(pkg.contributes.menus as Record<string, { command: string }[]>)) {
    for (const e of entries) assert.ok(ids.has(e.command), `${menu} names unknown command ${e.command}`);
  }
  const explorer = pkg.contributes.menus['explorer/context'] as { command: string; when: string }[];
  const onManifests = explorer.filter((e) => e.when.includes('model.yaml')).map((e) => e.command);
  assert.deepEqual([...onManifests].sort(), [...MANIFEST_COMMANDS].sort());
  assert.ok(
    explorer.some((e) => e.command === 'modelgate.createManifest' && e.when.includes('.onnx')),
    'Create manifest is offered on .onnx files',
  );
});

test('activation covers manifests and the report panel; the schema stays associated', () => {
  assert.ok(pkg.activationEvents.includes('workspaceContains:**/model.yaml'));
  assert.ok(pkg.activationEvents.includes('onWebviewPanel:modelgate.report'));
  assert.equal(pkg.main, './dist/extension.js');
  assert.equal(pkg.contributes.yamlValidation[0].url, './server/manifest/model.schema.json');
});

test('isManifestPath accepts model.yaml and *.model.yaml only', () => {
  assert.equal(isManifestPath('/a/b/model.yaml'), true);
  assert.equal(isManifestPath('C:\\x\\churn.model.yaml'), true);
  assert.equal(isManifestPath('/a/mymodel.yaml'), false);
  assert.equal(isManifestPath('/a/model.yml'), false);
  assert.equal(isManifestPath('/a/model.yaml/other.txt'), false);
});

test('the walkthrough links only contributed commands and its pages exist', () => {
  const ids = new Set(contributed.map((c) => c.command));
  const steps = pkg.contributes.walkthroughs[0].steps as { description: string; media: { markdown: string }; completionEvents: string[] }[];
  for (const s of steps) {
    assert.ok(existsSync(join(__dirname, '..', '..', '..', s.media.markdown)), `${s.media.markdown} is missing`);
    for (const m of s.description.matchAll(/\(command:(modelgate\.[\w]+)\)/g)) assert.ok(ids.has(m[1]!), `walkthrough links unknown ${m[1]}`);
    for (const e of s.completionEvents) if (e.startsWith('onCommand:modelgate.')) assert.ok(ids.has(e.slice('onCommand:'.length)), e);
  }
});

test("a diagnostic's code link becomes the command that opens the rendered code list at its section", () => {
  assert.equal(isCodesDocLink('file:///x/docs/diagnostic-codes.md#mg102'), true);
  assert.equal(isCodesDocLink('https://example.com/other.md#mg102'), false);
  const href = explainCodeHref('MG102');
  assert.equal(href, 'command:modelgate.explainCode?%5B%22MG102%22%5D');
  assert.deepEqual(JSON.parse(decodeURIComponent(href.split('?')[1]!)), ['MG102']);
  assert.equal(codeAnchor('MG102'), 'mg102');
  assert.equal(codeAnchor('../etc'), undefined);
  // The anchor is a heading of the shipped page.
  const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'diagnostic-codes.md'), 'utf8');
  assert.match(doc, /^### MG102$/m);
});
