// Open-model load (runs in the load-generator child): requests leave on a
// fixed schedule (request i at start + i / rate) whether or not earlier ones
// have been answered, over a pool of keep-alive sockets. autocannon is not
// used here because its rate limit releases each connection's per-second
// quota in a burst at the top of every second, which is neither a fixed
// arrival rate nor free of coordinated omission.
//
// Latency of a request runs from the moment the pacer releases it (its
// scheduled time, or the timer tick that released it when the timer fired
// late) to the end of the response. Waiting for a free socket therefore
// counts as latency, as it would for a real client (no coordinated
// omission), while the generator's own timer jitter does not; that jitter is
// reported as `sendLagUs` so a late schedule is visible.
import http from 'node:http';
import type { CapturedResponse, LoadJob, LoadRunResult } from './loadgenProtocol';
import type { LoadTarget } from './closedLoad';
import { bodyCursor } from './closedLoad';
import { encodeHistogram, newBuckets, newLatencyHistogram, recordUs } from './latency';

interface Pending {
  req: http.ClientRequest;
  releasedAt: bigint;
  timedOut: boolean;
}

export function runOpen(job: LoadJob, target: LoadTarget): Promise<LoadRunResult> {
  const rate = job.rate ?? 0;
  if (!(rate > 0)) return Promise.reject(new Error(`open-model run needs a positive rate, got ${job.rate}`));
  const url = new URL(target.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.connections });
  const hist = newLatencyHistogram();
  const buckets = newBuckets();
  const captured: CapturedResponse[] = [];
  const nextBody = bodyCursor(target.bodies.length);
  const total = Math.max(1, Math.round(rate * job.durationS));
  const intervalNs = 1e9 / rate;
  const timeoutNs = BigInt(Math.round(job.timeoutS * 1e9));
  const pending = new Set<Pending>();
  let sent = 0;
  let responses = 0;
  let errors = 0;
  let timeouts = 0;
  let non2xx = 0;
  let peak = 0;
  let lagSumNs = 0;
  let lagMaxNs = 0;
  let lastEnd = 0n;
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();

  return new Promise<LoadRunResult>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    let finished = false;

    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      clearInterval(reaper);
      // Still unanswered at the end of the drain window: counted as timeouts.
      for (const p of pending) {
        p.timedOut = true;
        timeouts++;
        p.req.destroy();
      }
      pending.clear();
      agent.destroy();
      const wallUs = Number(process.hrtime.bigint() - start) / 1000;
      const c = process.cpuUsage(cpu0);
      const elapsedS = lastEnd > start ? Number(lastEnd - start) / 1e9 : wallUs / 1e6;
      resolve({
        mode: 'open',
        connections: peak,
        offeredRps: rate,
        elapsedS,
        responses,
        sent,
        errors,
        timeouts,
        non2xx,
        throughputRps: elapsedS > 0 ? responses / elapsedS : 0,
        histogram: encodeHistogram(hist),
        buckets,
        cpu: wallUs > 0 ? (c.user + c.system) / wallUs : 0,
        captured,
        sendLagUs: { mean: sent ? Math.round(lagSumNs / sent / 1000) : 0, max: Math.round(lagMaxNs / 1000) },
      });
    };

    const maybeDone = () => {
      if (sent >= total && pending.size === 0) finish();
    };

    const fire = (scheduled: bigint, now: bigint) => {
      const lag = Number(now - scheduled);
      lagSumNs += lag;
      if (lag > lagMaxNs) lagMaxNs = lag;
      const row = nextBody();
      const body = target.bodies[row]!;
      const capture = job.captureEvery > 0 && (sent + 1) % job.captureEvery === 0 && captured.length < job.captureMax;
      const req = http.request({
        agent, host: url.hostname, port: url.port, path: url.pathname + url.search, method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      });
      const p: Pending = { req, releasedAt: now, timedOut: false };
      pending.add(p);
      if (pending.size > peak) peak = pending.size;
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        if (capture) res.on('data', (c: Buffer) => chunks.push(c));
        else res.resume();
        res.on('end', () => {
          if (p.timedOut || finished) return;
          const end = process.hrtime.bigint();
          pending.delete(p);
          lastEnd = end;
          responses++;
          const status = res.statusCode ?? 0;
          if (status < 200 || status >= 300) non2xx++;
          recordUs(hist, buckets, Number(end - p.releasedAt) / 1000);
          if (capture) captured.push({ row, status, body: Buffer.concat(chunks).toString('utf8') });
          maybeDone();
        });
      });
      req.on('error', () => {
        if (p.timedOut || finished) return;
        pending.delete(p);
        errors++;
        maybeDone();
      });
      req.end(body);
      sent++;
    };

    const pump = () => {
      if (finished) return;
      const now = process.hrtime.bigint();
      while (sent < total) {
        const scheduled = start + BigInt(Math.round(sent * intervalNs));
        if (scheduled > now) break;
        // Released now; latency starts at the later of schedule and release.
        fire(scheduled, now);
      }
      if (sent < total) {
        const nextAt = start + BigInt(Math.round(sent * intervalNs));
        const waitMs = Number(nextAt - process.hrtime.bigint()) / 1e6;
        timer = setTimeout(pump, Math.max(0, Math.floor(waitMs)));
      } else {
        // Sending is over: give answers one timeout to arrive, then stop.
        timer = setTimeout(finish, job.timeoutS * 1000);
        maybeDone();
      }
    };

    const reaper = setInterval(() => {
      const now = process.hrtime.bigint();
      for (const p of pending) {
        if (now - p.releasedAt > timeoutNs) {
          p.timedOut = true;
          pending.delete(p);
          timeouts++;
          p.req.destroy();
        }
      }
      maybeDone();
    }, 100);

    pump();
  });
}
