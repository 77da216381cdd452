// How much CPU the rest of the machine took while a point ran: the whole
// machine's busy time (os.cpus) minus this process (the suite, and the
// server when it runs in-process) and the load generator. Named in the
// report so "close other programs" comes with a number.
import os from 'node:os';

export interface CpuSnapshot {
  /** Busy and total CPU time over every core, in ms. */
  busyMs: number;
  totalMs: number;
  own: NodeJS.CpuUsage;
  at: bigint;
}

export function cpuSnapshot(): CpuSnapshot {
  let busyMs = 0;
  let totalMs = 0;
  for (const c of os.cpus()) {
    const t = c.times;
    busyMs += t.user + t.nice + t.sys + t.irq;
    totalMs += t.user + t.nice + t.sys + t.irq + t.idle;
  }
  return { busyMs, totalMs, own: process.cpuUsage(), at: process.hrtime.bigint() };
}

/**
 * Cores used by other processes between two snapshots, given the load
 * generator's CPU over the same time (share of one core). Never negative;
 * undefined when the machine reports no CPU times (some containers).
 */
export function otherCpuCores(before: CpuSnapshot, after: CpuSnapshot, generatorCpu: number): number | undefined {
  const wallMs = Number(after.at - before.at) / 1e6;
  if (!(wallMs > 0) || after.totalMs <= before.totalMs) return undefined;
  const busyCores = (after.busyMs - before.busyMs) / wallMs;
  const own = (after.own.user - before.own.user + after.own.system - before.own.system) / 1000 / wallMs;
  return Math.max(0, Math.round((busyCores - own - generatorCpu) * 100) / 100);
}

export function coreCount(): number {
  return os.cpus().length;
}
