import { describe, expect, it } from 'vitest';
import { createScheduler, RequestBudgetExhausted } from './scheduler.js';

describe('createScheduler', () => {
  it('keeps at most `concurrency` tasks in flight', async () => {
    const s = createScheduler({ concurrency: 3, rate: 0, maxRequests: 100 });
    let inFlight = 0;
    let max = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        s.schedule(async () => {
          max = Math.max(max, ++inFlight);
          await new Promise((r) => setTimeout(r, 5));
          inFlight--;
        }),
      ),
    );
    expect(max).toBe(3);
  });

  it('refuses past maxRequests, counting every scheduled task', async () => {
    const s = createScheduler({ concurrency: 2, rate: 0, maxRequests: 5 });
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => s.schedule(async () => 1)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected).toHaveLength(3);
    expect(rejected[0]?.reason).toBeInstanceOf(RequestBudgetExhausted);
  });

  it('spaces starts by 1/rate seconds (a correctness bound with a wide margin)', async () => {
    const s = createScheduler({ concurrency: 10, rate: 50, maxRequests: 100 });
    const starts: number[] = [];
    await Promise.all(Array.from({ length: 6 }, () => s.schedule(async () => void starts.push(performance.now()))));
    // 6 starts at 50/s take at least 5 × 20 ms; timers may fire a little early.
    expect((starts.at(-1) ?? 0) - (starts[0] ?? 0)).toBeGreaterThanOrEqual(90);
  });
});
