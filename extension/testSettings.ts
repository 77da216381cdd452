// The test settings that override a manifest's stress plan, read per manifest
// (folder settings win), for every way of running tests: commands, CodeLens
// and the Test Explorer.
import * as vscode from 'vscode';

export interface TestSettings {
  duration?: string;
  concurrency?: number[];
}

export function testSettings(uri: vscode.Uri): TestSettings {
  const config = vscode.workspace.getConfiguration('modelgate', uri);
  const duration = config.get<string>('tests.duration') || undefined;
  const sweep = (config.get<number[]>('tests.concurrency') ?? []).filter((n) => Number.isInteger(n) && n > 0);
  return { ...(duration ? { duration } : {}), ...(sweep.length ? { concurrency: sweep } : {}) };
}
