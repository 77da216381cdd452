// Every command the extension contributes, with its palette title. Pure data
// (no vscode import) so a unit test can hold it against package.json's
// contributes.commands, and commands/index.ts must implement each id.
export const COMMANDS = {
  'modelgate.serve': { title: 'Serve model', icon: '$(play)' },
  'modelgate.stop': { title: 'Stop server', icon: '$(debug-stop)' },
  'modelgate.runAll': { title: 'Run all tests', icon: '$(beaker)' },
  'modelgate.runStress': { title: 'Run stress tests' },
  'modelgate.runStaleness': { title: 'Run staleness tests' },
  'modelgate.runMetrics': { title: 'Run metric tests' },
  'modelgate.testAndDeploy': { title: 'Test & Deploy', icon: '$(cloud-upload)' },
  'modelgate.publish': { title: 'Publish' },
  'modelgate.setRegistryCredentials': { title: 'Set registry credentials' },
  'modelgate.openLastReport': { title: 'Open last report', icon: '$(graph)' },
  'modelgate.createManifest': { title: 'Create manifest from ONNX file' },
  'modelgate.scoreCsv': { title: 'Score a CSV file' },
  'modelgate.showLogs': { title: 'Show logs' },
  'modelgate.restartServer': { title: 'Restart language server' },
  'modelgate.explainCode': { title: 'Explain diagnostic codes' },
} as const satisfies Record<string, { title: string; icon?: string }>;

export type CommandId = keyof typeof COMMANDS;

export const COMMAND_CATEGORY = 'ModelGate';

/** Commands that take a manifest: offered in the editor title and explorer context menus. */
export const MANIFEST_COMMANDS: readonly CommandId[] = [
  'modelgate.serve',
  'modelgate.runAll',
  'modelgate.testAndDeploy',
  'modelgate.publish',
  'modelgate.openLastReport',
];

/** Files the extension treats as manifests (same rule as the language server's selector). */
export function isManifestPath(path: string): boolean {
  const base = path.split(/[\\/]/).pop() ?? '';
  return base === 'model.yaml' || base.endsWith('.model.yaml');
}

export const MANIFEST_GLOB = '**/{model.yaml,*.model.yaml}';
