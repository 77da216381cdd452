// Closed-model load (runs in the load-generator child): autocannon keeps
// `connections` keep-alive connections, each sending its next request as soon
// as the previous answer arrives. Latency per request comes from the client's
// own high-resolution timer (hrtime from the socket write to the end of the
// response), recorded in µs; autocannon's millisecond histogram is not used.
import autocannon from 'autocannon';
import type { CapturedResponse, LoadJob, LoadRunResult } from './loadgenProtocol';
import { encodeHistogram, newBuckets, newLatencyHistogram, recordUs } from './latency';

export interface LoadTarget {
  /** Full URL of the predict endpoint. */
  url: string;
  /** Request bodies, used in rotation so no two consecutive requests repeat. */
  bodies: string[];
}

/** A rotating cursor shared by every connection, so the pool is walked in order. */
export function bodyCursor(count: number): () => number {
  let next = 0;
  return () => {
    const i = next;
    next = (next + 1) % count;
    return i;
  };
}

export function runClosed(job: LoadJob, target: LoadTarget): Promise<LoadRunResult> {
  const hist = newLatencyHistogram();
  const buckets = newBuckets();
  const captured: CapturedResponse[] = [];
  const nextBody = bodyCursor(target.bodies.length);
  // The first answer on each connection also pays for the TCP handshake;
  // it is counted but kept out of the latency figures.
  const warmClients = new WeakSet<object>();
  let responses = 0;
  let firstAt = 0n;
  let lastAt = 0n;
  const cpu0 = process.cpuUsage();
  const wall0 = process.hrtime.bigint();

  return new Promise<LoadRunResult>((resolve, reject) => {
    const instance = autocannon(
      {
        url: target.url,
        method: 'POST',
        connections: job.connections,
        duration: job.durationS,
        timeout: Math.max(1, Math.ceil(job.timeoutS)),
        // Short sampling ticks make the run end close to `duration`.
        sampleInt: 100,
        headers: { 'content-type': 'application/json' },
        requests: [
          {
            setupRequest: (req, context) => {
              const row = nextBody();
              (context as { row?: number }).row = row;
              return { ...req, body: target.bodies[row] };
            },
            onResponse: (status, body, context) => {
              responses++;
              if (job.captureEvery > 0 && responses % job.captureEvery === 0 && captured.length < job.captureMax) {
                captured.push({ row: (context as { row?: number }).row ?? -1, status, body });
              }
            },
          },
        ],
      },
      (err, result) => {
        if (err) return reject(err instanceof Error ? err : new Error(String(err)));
        const wallUs = Number(process.hrtime.bigint() - wall0) / 1000;
        const c = process.cpuUsage(cpu0);
        const elapsedS = firstAt && lastAt > firstAt ? Number(lastAt - firstAt) / 1e9 : result.duration;
        resolve({
          mode: 'closed',
          connections: job.connections,
          elapsedS,
          responses,
          sent: result.requests.sent,
          // autocannon counts timeouts among errors; keep the two apart.
          errors: result.errors - result.timeouts,
          timeouts: result.timeouts,
          non2xx: result.non2xx,
          throughputRps: elapsedS > 0 ? responses / elapsedS : 0,
          histogram: encodeHistogram(hist),
          buckets,
          cpu: wallUs > 0 ? (c.user + c.system) / wallUs : 0,
          captured,
        });
      },
    );
    instance.on('response', (client, _status, _bytes, responseTimeMs) => {
      const now = process.hrtime.bigint();
      if (!firstAt) firstAt = now - BigInt(Math.round(responseTimeMs * 1e6));
      lastAt = now;
      if (!warmClients.has(client)) {
        warmClients.add(client);
        return;
      }
      // responseTime is fractional ms from process.hrtime around each request.
      recordUs(hist, buckets, responseTimeMs * 1000);
    });
  });
}
