// The time source of the serving core. Code that measures waits or arms
// timers takes a Clock instead of calling performance.now()/setTimeout
// directly, so a test can move time forward itself: on a busy machine a
// real timer fires late and a busy-wait can be descheduled, and a test that
// depends on either passes or fails by luck.
export interface Clock {
  /** Milliseconds on a monotonic scale (only differences matter). */
  now(): number;
  setTimeout(fn: () => void, ms: number): ClockTimer;
  clearTimeout(timer: ClockTimer): void;
}

/** Handle returned by Clock.setTimeout, only ever passed back to clearTimeout. */
export type ClockTimer = object;

export const realClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout),
};
