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
//
// With `noiseUrl` the same schedule, half an interval out of step, also goes
// to a trivial endpoint in another process: its latency is what the machine
// (scheduling, loopback, HTTP, this generator) adds with no model at all,
// measured at the very same moments as the model's.
import http from 'node:http';
import { TAIL_MAX, type CapturedResponse, type LatencyWindow, type LoadJob, type LoadRunResult, type NoiseRunResult } from './loadgenProtocol';
import type { LoadTarget } from './closedLoad';
import { bodyCursor } from './closedLoad';
import { encodeHistogram, newBuckets, newLatencyHistogram, recordUs, type LatencyHistogram } from './latency';

interface Pending {
  req: http.ClientRequest;
  stream: Stream;
  releasedAt: bigint;
  timedOut: boolean;
}

/** One schedule of requests against one URL, with its own sockets and counters. */
interface Stream {
  url: URL;
  agent: http.Agent;
  /** Offset of the schedule, in intervals (0 for the model, 0.5 for the noise endpoint). */
  phase: number;
  hist: LatencyHistogram;
  buckets: number[];
  /** Latencies per time window, when windows are asked for. */
  windows: number[][];
  capture: boolean;
  sent: number;
  responses: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  /** Requests of this stream awaiting an answer. */
  inflight: number;
  lastEnd: bigint;
}

function newStream(url: string, sockets: number, phase: number, windows: number, capture: boolean): Stream {
  return {
    url: new URL(url),
    agent: new http.Agent({ keepAlive: true, maxSockets: sockets }),
    phase,
    hist: newLatencyHistogram(),
    buckets: newBuckets(),
    windows: Array.from({ length: windows }, () => []),
    capture,
    sent: 0,
    responses: 0,
    errors: 0,
    timeouts: 0,
    non2xx: 0,
    inflight: 0,
    lastEnd: 0n,
  };
}

/** Each window's count and largest latencies, descending. */
export function windowTails(windows: number[][], max = TAIL_MAX): LatencyWindow[] {
  return windows.map((w) => ({ count: w.length, tailUs: [...w].sort((a, b) => b - a).slice(0, max) }));
}

export function runOpen(job: LoadJob, target: LoadTarget): Promise<LoadRunResult> {
  const rate = job.rate ?? 0;
  if (!(rate > 0)) return Promise.reject(new Error(`open-model run needs a positive rate, got ${job.rate}`));
  const windowNs = job.windowS && job.windowS > 0 ? job.windowS * 1e9 : 0;
  const windowCount = windowNs ? Math.max(1, Math.ceil((job.durationS * 1e9) / windowNs - 1e-9)) : 0;
  const model = newStream(target.url, job.connections, 0, windowCount, job.captureEvery > 0);
  const streams = [model];
  if (job.noiseUrl) streams.push(newStream(job.noiseUrl, job.connections, 0.5, windowCount, false));
  const captured: CapturedResponse[] = [];
  const nextBody = bodyCursor(target.bodies.length);
  const total = Math.max(1, Math.round(rate * job.durationS));
  const intervalNs = 1e9 / rate;
  const timeoutNs = BigInt(Math.round(job.timeoutS * 1e9));
  const pending = new Set<Pending>();
  let peak = 0;
  let lagSumNs = 0;
  let lagMaxNs = 0;
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  const scheduledAt = (s: Stream) => start + BigInt(Math.round((s.sent + s.phase) * intervalNs));

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
        p.stream.timeouts++;
        p.req.destroy();
      }
      pending.clear();
      for (const s of streams) s.agent.destroy();
      const wallUs = Number(process.hrtime.bigint() - start) / 1000;
      const c = process.cpuUsage(cpu0);
      const elapsedOf = (s: Stream) => (s.lastEnd > start ? Number(s.lastEnd - start) / 1e9 : wallUs / 1e6);
      const elapsedS = elapsedOf(model);
      const result: LoadRunResult = {
        mode: 'open',
        connections: peak,
        offeredRps: rate,
        elapsedS,
        responses: model.responses,
        sent: model.sent,
        errors: model.errors,
        timeouts: model.timeouts,
        non2xx: model.non2xx,
        throughputRps: elapsedS > 0 ? model.responses / elapsedS : 0,
        histogram: encodeHistogram(model.hist),
        buckets: model.buckets,
        cpu: wallUs > 0 ? (c.user + c.system) / wallUs : 0,
        captured,
        sendLagUs: { mean: model.sent ? Math.round(lagSumNs / model.sent / 1000) : 0, max: Math.round(lagMaxNs / 1000) },
      };
      if (windowCount) result.windows = windowTails(model.windows);
      const noise = streams[1];
      if (noise) {
        const e = elapsedOf(noise);
        const n: NoiseRunResult = {
          sent: noise.sent,
          responses: noise.responses,
          errors: noise.errors,
          timeouts: noise.timeouts,
          non2xx: noise.non2xx,
          throughputRps: e > 0 ? noise.responses / e : 0,
          histogram: encodeHistogram(noise.hist),
          windows: windowTails(noise.windows),
        };
        result.noise = n;
      }
      resolve(result);
    };

    const maybeDone = () => {
      if (streams.every((s) => s.sent >= total) && pending.size === 0) finish();
    };

    const fire = (s: Stream, scheduled: bigint, now: bigint) => {
      if (s === model) {
        const lag = Number(now - scheduled);
        lagSumNs += lag;
        if (lag > lagMaxNs) lagMaxNs = lag;
      }
      const row = nextBody();
      const body = target.bodies[row]!;
      const capture = s.capture && (s.sent + 1) % job.captureEvery === 0 && captured.length < job.captureMax;
      const req = http.request({
        agent: s.agent,
        host: s.url.hostname,
        port: s.url.port,
        path: s.url.pathname + s.url.search,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      });
      const p: Pending = { req, stream: s, releasedAt: now, timedOut: false };
      pending.add(p);
      s.inflight++;
      if (s === model && s.inflight > peak) peak = s.inflight;
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        if (capture) res.on('data', (c: Buffer) => chunks.push(c));
        else res.resume();
        res.on('end', () => {
          if (p.timedOut || finished) return;
          const end = process.hrtime.bigint();
          pending.delete(p);
          s.inflight--;
          s.lastEnd = end;
          s.responses++;
          const status = res.statusCode ?? 0;
          if (status < 200 || status >= 300) s.non2xx++;
          const us = Number(end - p.releasedAt) / 1000;
          recordUs(s.hist, s.buckets, us);
          if (windowCount) {
            const w = Math.min(windowCount - 1, Math.floor(Number(p.releasedAt - start) / windowNs));
            s.windows[w]!.push(Math.max(1, Math.round(us)));
          }
          if (capture) captured.push({ row, status, body: Buffer.concat(chunks).toString('utf8') });
          maybeDone();
        });
      });
      req.on('error', () => {
        if (p.timedOut || finished) return;
        pending.delete(p);
        s.inflight--;
        s.errors++;
        maybeDone();
      });
      req.end(body);
      s.sent++;
    };

    const pump = () => {
      if (finished) return;
      const now = process.hrtime.bigint();
      // Release everything that is due, in schedule order across the streams.
      for (;;) {
        let due: Stream | undefined;
        let dueAt = 0n;
        for (const s of streams) {
          if (s.sent >= total) continue;
          const at = scheduledAt(s);
          if (at <= now && (!due || at < dueAt)) {
            due = s;
            dueAt = at;
          }
        }
        if (!due) break;
        // Released now; latency starts at the later of schedule and release.
        fire(due, dueAt, now);
      }
      const waiting = streams.filter((s) => s.sent < total);
      if (waiting.length) {
        const nextAt = waiting.map(scheduledAt).reduce((a, b) => (b < a ? b : a));
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
          p.stream.inflight--;
          p.stream.timeouts++;
          p.req.destroy();
        }
      }
      maybeDone();
    }, 100);

    pump();
  });
}
