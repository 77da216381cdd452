// The command table: one entry per contributed command (the key type makes a
// missing or extra entry a compile error; a unit test holds the ids against
// package.json).
import type { CommandId } from '../commandIds';
import type { CommandFactory } from '../ctx';
import { createManifest } from './createManifest';
import { explainCode } from './explainCode';
import { openLastReport } from './openLastReport';
import { publish } from './publish';
import { restartServer } from './restartServer';
import { runAll } from './runAll';
import { runMetrics } from './runMetrics';
import { runStaleness } from './runStaleness';
import { runStress } from './runStress';
import { scoreCsv } from './scoreCsv';
import { serve } from './serve';
import { setRegistryCredentials } from './setRegistryCredentials';
import { showLogs } from './showLogs';
import { stop } from './stop';
import { testAndDeploy } from './testAndDeploy';

export const commandTable: Record<CommandId, CommandFactory> = {
  'modelgate.serve': serve,
  'modelgate.stop': stop,
  'modelgate.runAll': runAll,
  'modelgate.runStress': runStress,
  'modelgate.runStaleness': runStaleness,
  'modelgate.runMetrics': runMetrics,
  'modelgate.testAndDeploy': testAndDeploy,
  'modelgate.publish': publish,
  'modelgate.setRegistryCredentials': setRegistryCredentials,
  'modelgate.openLastReport': openLastReport,
  'modelgate.createManifest': createManifest,
  'modelgate.scoreCsv': scoreCsv,
  'modelgate.showLogs': showLogs,
  'modelgate.restartServer': restartServer,
  'modelgate.explainCode': explainCode,
};
