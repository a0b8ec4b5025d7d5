import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../src/index.js';

function bucket(perMinute: number, burst: number) {
  const clock = { now: 0 };
  const waits: number[] = [];
  const b = new TokenBucket(
    perMinute,
    burst,
    () => clock.now,
    async (ms) => {
      waits.push(ms);
      await null; // time passes after the caller has started waiting, as with a real timer
      clock.now += ms;
    },
  );
  return { b, clock, waits };
}

describe('Function: TokenBucket', () => {
  it('passes a burst at once, queues the excess for a token, and refuses a wait longer than allowed', async () => {
    // Prepare: 60/min = one token a second, burst 2
    const { b, waits } = bucket(60, 2);
    // Act
    const burst = [await b.take(0), await b.take(0)];
    const queued = await b.take(5000);
    const tooLong = await b.take(500);
    // Assess
    expect(burst).toEqual([true, true]);
    expect(queued).toBe(true);
    expect(tooLong).toBe(false);
    expect(waits).toEqual([1000]);
  });

  it('gives waiting callers successive tokens (arrival order)', async () => {
    // Prepare
    const { b, waits } = bucket(60, 1);
    await b.take(0);
    // Act: two callers wait at the same time
    const results = await Promise.all([b.take(10_000), b.take(10_000)]);
    // Assess
    expect(results).toEqual([true, true]);
    expect(waits).toEqual([1000, 2000]);
  });

  it('refills over time up to the burst, not beyond', async () => {
    // Prepare
    const { b, clock } = bucket(60, 3);
    for (let i = 0; i < 3; i++) await b.take(0);
    // Act: an hour passes
    clock.now += 3_600_000;
    const taken = [await b.take(0), await b.take(0), await b.take(0), await b.take(0)];
    // Assess
    expect(taken).toEqual([true, true, true, false]);
  });
});
