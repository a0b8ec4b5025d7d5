import { describe, expect, it } from 'vitest';
import { splitIntoRequests } from '../../src/ipinsights-client/batching.js';

describe('Function: splitIntoRequests', () => {
  it('covers every pair exactly once, in order, within both limits', () => {
    // Prepare
    const pairs = Array.from({ length: 1003 }, (_, i) => ({
      entity: `user_${i}`.repeat((i % 7) + 1),
      ip: `10.0.${i >> 8}.${i & 255}`,
    }));

    // Act
    const chunks = splitIntoRequests(pairs, 100, 2000);

    // Assess
    expect(chunks[0]?.start).toBe(0);
    expect(chunks.at(-1)?.end).toBe(1003);
    for (let k = 1; k < chunks.length; k++) expect(chunks[k]?.start).toBe(chunks[k - 1]?.end);
    for (const c of chunks) {
      expect(c.end - c.start).toBeLessThanOrEqual(100);
      expect(Buffer.byteLength(c.body)).toBeLessThanOrEqual(2000);
      expect(c.body.trim().split('\n')).toEqual(
        pairs.slice(c.start, c.end).map((p) => `${p.entity},${p.ip}`),
      );
    }
  });

  it('refuses a pair too large for any request, naming it', () => {
    // Act
    const act = () =>
      splitIntoRequests(
        [
          { entity: 'a', ip: '1.2.3.4' },
          { entity: 'x'.repeat(500), ip: '1.2.3.4' },
        ],
        10,
        200,
      );

    // Assess
    expect(act).toThrow('pair 1: 529 bytes alone exceed the 200-byte request limit');
  });
});
