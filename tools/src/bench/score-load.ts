import { Agent, request } from 'node:http';

/** One HTTP POST of `body` to `url` over `agent`; resolves with the status code. */
function post(agent: Agent, url: URL, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'text/csv',
          accept: 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.on('data', () => {});
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** What a closed-loop throughput run measured. */
export interface ThroughputResult {
  requests: number;
  pairs: number;
  failed: number;
  seconds: number;
  pairsPerSec: number;
  requestsPerSec: number;
}

/**
 * Closed-loop throughput: `connections` keep-alive clients each send the next body as soon as
 * the previous answer arrived, for `seconds` (bounded: at most `maxRequests` in all).
 */
export async function throughput(
  url: string,
  bodies: readonly string[],
  pairsPerBody: number,
  options: { connections: number; seconds: number; maxRequests: number },
): Promise<ThroughputResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const target = new URL(url);
  let requests = 0;
  let failed = 0;
  const t0 = performance.now();
  const deadline = t0 + options.seconds * 1000;
  const client = async (k: number) => {
    for (let i = k; performance.now() < deadline && requests < options.maxRequests; i++) {
      requests++;
      const status = await post(agent, target, bodies[i % bodies.length]!).catch(() => 0);
      if (status !== 200) failed++;
    }
  };
  await Promise.all(Array.from({ length: options.connections }, (_, k) => client(k)));
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  const ok = requests - failed;
  return {
    requests,
    pairs: ok * pairsPerBody,
    failed,
    seconds,
    pairsPerSec: (ok * pairsPerBody) / seconds,
    requestsPerSec: ok / seconds,
  };
}

/** What an open-loop latency run measured, in milliseconds. */
export interface LatencyResult {
  ratePerSec: number;
  requests: number;
  failed: number;
  /** Achieved send rate. */
  sentPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Percentiles from each request's scheduled send time (include any sender lag). */
  p50FromScheduleMs: number;
  p99FromScheduleMs: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * Open-loop latency: sends single-pair requests at `ratePerSec` on a fixed schedule (a slow
 * answer does not slow the sender), `count` requests after `warmup` unmeasured ones.
 */
export async function openLoopLatency(
  url: string,
  bodies: readonly string[],
  options: { ratePerSec: number; count: number; warmup: number },
): Promise<LatencyResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const target = new URL(url);
  const total = options.warmup + options.count;
  const service = new Float64Array(options.count);
  const fromSchedule = new Float64Array(options.count);
  const interval = 1000 / options.ratePerSec;
  let failed = 0;
  const pending: Promise<void>[] = [];
  const t0 = performance.now();
  let i = 0;
  // Timer-driven, no busy-waiting (the sender must not take the server's CPU): each tick sends
  // every request whose slot has come, timed from its own send and from its slot.
  while (i < total) {
    const now = performance.now();
    for (; i < total && t0 + i * interval <= now; i++) {
      const scheduled = t0 + i * interval;
      const sent = performance.now();
      const k = i - options.warmup;
      pending.push(
        post(agent, target, bodies[i % bodies.length]!).then(
          (status) => {
            const done = performance.now();
            if (k < 0) return;
            if (status !== 200) failed++;
            service[k] = done - sent;
            fromSchedule[k] = done - scheduled;
          },
          () => {
            if (k >= 0) failed++;
          },
        ),
      );
    }
    if (i < total)
      await new Promise((r) => setTimeout(r, Math.max(0, t0 + i * interval - performance.now())));
  }
  const sendSeconds = (performance.now() - t0) / 1000;
  await Promise.all(pending);
  agent.destroy();
  service.sort();
  fromSchedule.sort();
  return {
    ratePerSec: options.ratePerSec,
    requests: options.count,
    failed,
    sentPerSec: total / sendSeconds,
    p50Ms: percentile(service, 50),
    p99Ms: percentile(service, 99),
    maxMs: service[service.length - 1] ?? Number.NaN,
    p50FromScheduleMs: percentile(fromSchedule, 50),
    p99FromScheduleMs: percentile(fromSchedule, 99),
  };
}
