// A Clock whose time moves only when the test says so: `advance(ms)` fires,
// in order, every timer that falls due. Waits measured against it are exact,
// whatever else the machine is doing.
import type { Clock, ClockTimer } from '../../server/serving/clock';

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
}

export class ManualClock implements Clock {
  private t = 0;
  private seq = 0;
  private pending = new Map<ClockTimer, Pending>();

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): ClockTimer {
    const handle = {};
    this.pending.set(handle, { at: this.t + Math.max(0, ms), seq: this.seq++, fn });
    return handle;
  }

  clearTimeout(timer: ClockTimer): void {
    this.pending.delete(timer);
  }

  /** Timers armed and not yet fired or cleared. */
  get timers(): number {
    return this.pending.size;
  }

  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      let next: [ClockTimer, Pending] | undefined;
      for (const e of this.pending) if (e[1].at <= end && (!next || e[1].at < next[1].at || (e[1].at === next[1].at && e[1].seq < next[1].seq))) next = e;
      if (!next) break;
      this.pending.delete(next[0]);
      this.t = next[1].at;
      next[1].fn();
    }
    this.t = end;
  }
}
