// Prometheus metrics of the queue front end, in the server's registry: what
// this node answered, claimed and dead-lettered (counters), and the request
// stream's backlog and pending entries as Redis reports them at scrape time.
import { Counter, Gauge, type Registry } from 'prom-client';

export type EntryResult = 'ok' | 'error' | 'invalid' | 'expired' | 'retry';

interface Watched {
  model: string;
  depth(): Promise<{ backlog: number; pending: number }>;
}

export class QueueMetrics {
  private readonly entries: Counter<'model' | 'result'>;
  private readonly claims: Counter<'model'>;
  private readonly dead: Counter<'model'>;
  private readonly watched = new Set<Watched>();

  constructor(registry: Registry) {
    const registers = [registry];
    this.entries = new Counter({
      name: 'modelgate_stream_requests_total',
      help: 'Requests this node took from a request stream, by result: ok, error (answered with an error), invalid (unreadable entry), expired (past its deadline), retry (left for another delivery).',
      labelNames: ['model', 'result'],
      registers,
    });
    this.claims = new Counter({
      name: 'modelgate_stream_claims_total',
      help: 'Requests this node claimed (XAUTOCLAIM) after another consumer left them unanswered for claimIdleMs.',
      labelNames: ['model'],
      registers,
    });
    this.dead = new Counter({
      name: 'modelgate_stream_dead_letters_total',
      help: 'Requests this node moved to the dead-letter stream after more than maxDeliveries deliveries.',
      labelNames: ['model'],
      registers,
    });
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    // one round trip per model and scrape, shared by the two gauges
    let cached: { at: number; values: Promise<{ model: string; backlog: number; pending: number }[]> } | undefined;
    const depths = () => {
      const t = Date.now();
      if (!cached || t - cached.at > 100)
        cached = {
          at: t,
          values: Promise.all(
            [...self.watched].map((w) =>
              w.depth().then(
                (d) => ({ model: w.model, ...d }),
                () => ({ model: w.model, backlog: Number.NaN, pending: Number.NaN }),
              ),
            ),
          ),
        };
      return cached.values;
    };
    new Gauge({
      name: 'modelgate_stream_backlog',
      help: 'Requests waiting in the request stream, not yet read by any node (NaN while Redis cannot be reached).',
      labelNames: ['model'],
      registers,
      async collect() {
        this.reset();
        for (const d of await depths()) this.set({ model: d.model }, d.backlog);
      },
    });
    new Gauge({
      name: 'modelgate_stream_pending',
      help: 'Requests read by some node of the group and not yet answered (XPENDING), over all nodes.',
      labelNames: ['model'],
      registers,
      async collect() {
        this.reset();
        for (const d of await depths()) this.set({ model: d.model }, d.pending);
      },
    });
  }

  watch(w: Watched): void {
    this.watched.add(w);
    for (const r of ['ok', 'error', 'invalid', 'expired', 'retry'] as const) this.entries.labels(w.model, r).inc(0);
    this.claims.labels(w.model).inc(0);
    this.dead.labels(w.model).inc(0);
  }
  unwatch(w: Watched): void {
    this.watched.delete(w);
  }
  entry(model: string, result: EntryResult): void {
    this.entries.labels(model, result).inc();
  }
  claimed(model: string, n: number): void {
    this.claims.labels(model).inc(n);
  }
  deadLetter(model: string): void {
    this.dead.labels(model).inc();
  }
}
