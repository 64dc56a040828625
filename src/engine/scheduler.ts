/**
 * Bounds what a run asks of its target: at most `concurrency` requests in flight, at most `rate`
 * started per second, at most `maxRequests` in all. Hand-written (30 lines) rather than p-limit
 * plus a token bucket, because the three bounds interact (a retry counts against all three).
 */
export interface SchedulerOptions {
  concurrency: number;
  /** Requests started per second; 0 for no limit. */
  rate: number;
  maxRequests: number;
  signal?: AbortSignal;
}

export class RequestBudgetExhausted extends Error {
  override readonly name = 'RequestBudgetExhausted';
}

export interface Scheduler {
  /** Runs `task` when a slot is free; rejects with RequestBudgetExhausted past maxRequests. */
  schedule<T>(task: () => Promise<T>): Promise<T>;
  readonly started: number;
}

export function createScheduler(options: SchedulerOptions): Scheduler {
  let inFlight = 0;
  let started = 0;
  let nextStart = 0;
  const waiting: (() => void)[] = [];
  const interval = options.rate > 0 ? 1000 / options.rate : 0;

  const acquire = async (): Promise<void> => {
    while (inFlight >= options.concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    inFlight++;
    const now = Date.now();
    const at = Math.max(now, nextStart);
    nextStart = at + interval;
    if (at > now) await sleep(at - now, options.signal);
  };
  const release = (): void => {
    inFlight--;
    waiting.shift()?.();
  };

  return {
    get started() {
      return started;
    },
    async schedule<T>(task: () => Promise<T>): Promise<T> {
      if (started >= options.maxRequests) throw new RequestBudgetExhausted(`--max-requests ${options.maxRequests} reached`);
      started++;
      await acquire();
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
