import { parseIpv4 } from '@lakewatch/ipinsights';
import { InvalidPairError } from './errors.js';
import type { PairToScore, RejectedPair, ScoreOutcome } from './types.js';

/**
 * Why the model cannot score `pair`, or `undefined` when it can: the engine encodes IPv4
 * (dotted quads, or IPv4-mapped `::ffff:a.b.c.d`) and needs a non-empty entity.
 */
export function pairProblem(pair: PairToScore): string | undefined {
  if (typeof pair?.entity !== 'string' || pair.entity.length === 0)
    return `entity must be a non-empty string, got ${JSON.stringify(pair?.entity)}`;
  if (typeof pair.ip !== 'string') return `ip must be a string, got ${JSON.stringify(pair.ip)}`;
  if (parseIpv4(pair.ip) >= 0) return undefined;
  return pair.ip.includes(':')
    ? `IPv6 address '${pair.ip}' is not supported: the model encodes IPv4 addresses`
    : `'${pair.ip}' is not an IPv4 address`;
}

/** @throws InvalidPairError naming the first pair the model cannot score. */
export function assertScorable(pairs: readonly PairToScore[]): void {
  for (let i = 0; i < pairs.length; i++) {
    const problem = pairProblem(pairs[i]!);
    if (problem) throw new InvalidPairError(i, problem);
  }
}

/** Scores the scorable pairs with `score` and keeps the others with their reasons. */
export async function scoreTolerantly(
  pairs: readonly PairToScore[],
  score: (good: PairToScore[]) => Promise<number[]>,
): Promise<ScoreOutcome> {
  const rejected: RejectedPair[] = [];
  const good: PairToScore[] = [];
  const goodIndex: number[] = [];
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i]!;
    const reason = pairProblem(pair);
    if (reason)
      rejected.push({ index: i, entity: String(pair?.entity), ip: String(pair?.ip), reason });
    else {
      good.push(pair);
      goodIndex.push(i);
    }
  }
  const dots = good.length ? await score(good) : [];
  const dotProducts = new Array<number | null>(pairs.length).fill(null);
  for (let k = 0; k < goodIndex.length; k++) dotProducts[goodIndex[k]!] = dots[k]!;
  return { dotProducts, rejected };
}
