import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type EventPattern, rulePattern } from '@lakewatch/contracts';
import { compilePattern, matchesPattern } from '@lakewatch/eventbus';
import { findRepoRoot } from '../repo-root.js';

/**
 * `npm run bench:patterns`: how fast the local bus can evaluate a realistic rule set on every
 * event. Events are the contract examples (every detail type) in their EventBridge envelope,
 * varied so values differ; rules are the routing the pipeline uses (one per detail type,
 * risk and level routes, CIDR, wildcard, anything-but, $or, array-consistent pair rules).
 * The peer is the uncompiled path (`matchesPattern`, which compiles on every call).
 */

type Envelope = Record<string, unknown> & { detail: Record<string, unknown> };

function loadEvents(): Envelope[] {
  const root = join(findRepoRoot(import.meta.dirname), 'contracts', 'events');
  const base: Envelope[] = [];
  for (const source of readdirSync(root)) {
    for (const detailType of readdirSync(join(root, source))) {
      const dir = join(root, source, detailType, 'v1', 'examples');
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
        const detail = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
        base.push({
          version: '0',
          id: `${detailType}-${file}`,
          'detail-type': detailType,
          source,
          account: '111122223333',
          time: '2026-11-28T14:05:00Z',
          region: 'us-east-1',
          resources: [],
          detail,
        });
      }
    }
  }
  // 1000 events: the examples with risk scores, IPs and ids varied.
  const events: Envelope[] = [];
  for (let i = 0; i < 1000; i++) {
    const e = structuredClone(base[i % base.length] as Envelope);
    e.id = `${e.id}-${i}`;
    const risk = e.detail.risk as { score?: number } | undefined;
    if (risk?.score !== undefined) risk.score = i % 101;
    if (typeof e.detail.ip === 'string')
      e.detail.ip = i % 3 === 0 ? `10.1.${i % 256}.7` : `198.51.100.${i % 256}`;
    // Full NetworkPairsObserved batches: 250 pairs, the size ingest publishes.
    const pairs = e.detail.pairs as Record<string, unknown>[] | undefined;
    if (pairs !== undefined && pairs.length > 0) {
      e.detail.pairs = Array.from({ length: 250 }, (_, k) => ({
        ...(pairs[k % pairs.length] as Record<string, unknown>),
        ip: `52.${(i + k) % 200}.${k % 256}.${(i * 7 + k) % 256}`,
        count: (i + k) % 150,
      }));
    }
    events.push(e);
  }
  return events;
}

function ruleSet(): EventPattern[] {
  const perType = [
    'LogObjectIngested',
    'NetworkPairsObserved',
    'AnomalyDetected',
    'ShadowVerdictsRecorded',
    'FindingEnriched',
    'NotificationDelivered',
    'NotificationFailed',
    'ModelPublished',
  ].map((t) => rulePattern(t as Parameters<typeof rulePattern>[0], 1));
  const findings = (detail: EventPattern): EventPattern =>
    rulePattern('FindingEnriched', 1, detail);
  return [
    ...perType,
    findings({ risk: { score: [{ numeric: ['>=', 70] }] } }),
    findings({ risk: { level: ['high', 'critical'] } }),
    findings({ risk: { level: [{ 'equals-ignore-case': 'CRITICAL' }] } }),
    findings({ ip: [{ cidr: '198.51.100.0/24' }, { cidr: '2001:db8::/32' }] }),
    findings({
      ip: [{ 'anything-but': { prefix: '10.' } }],
      risk: { score: [{ numeric: ['>', 50, '<=', 90] }] },
    }),
    findings({ entity: { type: [{ 'anything-but': ['instance', 'user'] }] } }),
    findings({ findingId: [{ wildcard: 'fnd-*-i-*' }] }),
    findings({
      $or: [{ risk: { score: [{ numeric: ['>=', 90] }] } }, { tags: [{ prefix: 'guardduty' }] }],
    }),
    { source: [{ prefix: 'lakewatch.' }], 'detail-type': [{ suffix: 'Failed' }] },
    { source: ['lakewatch.notify'], detail: { target: { kind: ['slack', 'webhook'] } } },
    { source: ['lakewatch.score'], detail: { anomalyScore: [{ numeric: ['>', 0.99] }] } },
    { source: ['lakewatch.score'], detail: { pair: { ip: [{ cidr: '52.0.0.0/8' }] } } },
    {
      source: ['lakewatch.ingest'],
      detail: { pairs: { direction: ['outbound'], ip: [{ cidr: '52.94.0.0/16' }] } },
    },
    { source: ['lakewatch.ingest'], detail: { pairs: { count: [{ numeric: ['>', 100] }] } } },
    { source: ['lakewatch.ingest'], detail: { counts: { rejected: [{ numeric: ['>', 0] }] } } },
    { source: ['lakewatch.model'], detail: { model: { version: [{ exists: true }] } } },
    { detail: { schemaVersion: [{ 'anything-but': { prefix: '1.' } }] } },
    { 'detail-type': [{ wildcard: '*Detected' }, { wildcard: 'Finding*' }] },
    { account: ['111122223333'], region: [{ 'anything-but': 'us-east-1' }] },
    { detail: { 'source.objectUri': [{ prefix: 's3://' }] } },
  ];
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Repeats `pass` (which returns the rule evaluations it made) for `ms`; rates per wall and CPU second. */
function measure(ms: number, pass: () => number): { wall: number; cpu: number } {
  let evaluations = 0;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  while (performance.now() - start < ms) evaluations += pass();
  const wallSeconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  return { wall: evaluations / wallSeconds, cpu: evaluations / ((cpu.user + cpu.system) / 1e6) };
}

/** Runs the benchmark and prints its figures; the last line is one JSON object. */
export function main(): number {
  const events = loadEvents();
  const rules = ruleSet();

  // Compile cost, warm: the local bus compiles on PutRule.
  for (let i = 0; i < 5; i++) for (const r of rules) compilePattern(r);
  const compileCpu = process.cpuUsage();
  for (let i = 0; i < 20; i++) for (const r of rules) compilePattern(r);
  const spent = process.cpuUsage(compileCpu);
  const compileUs = (spent.user + spent.system) / (20 * rules.length);
  const compiled = rules.map((r) => compilePattern(r));

  let matched = 0;
  let passes = 0;
  const pass = (): number => {
    for (const e of events) for (const c of compiled) if (c.matches(e)) matched++;
    passes++;
    return events.length * compiled.length;
  };
  for (let i = 0; i < 3; i++) pass(); // warm up
  const rate = measure(2000, pass);

  // Latency of one event through every rule.
  const perEvent: number[] = [];
  for (let round = 0; round < 5; round++) {
    for (const e of events) {
      const s = performance.now();
      for (const c of compiled) c.matches(e);
      perEvent.push(performance.now() - s);
    }
  }
  perEvent.sort((a, b) => a - b);

  // Peer: the same work through matchesPattern, which validates and compiles on every call.
  const sample = events.slice(0, 50);
  const peer = measure(1000, () => {
    for (const e of sample) for (const r of rules) matchesPattern(r, e);
    return sample.length * rules.length;
  });

  let perPass = 0;
  for (const e of events) for (const c of compiled) if (c.matches(e)) perPass++;
  if (matched !== perPass * passes) {
    throw new Error(
      `matching is not deterministic: ${matched} matches in ${passes} passes of ${perPass}`,
    );
  }
  const us = (ms: number): number => Math.round(ms * 10_000) / 10;
  const result = {
    bench: 'patterns',
    rules: rules.length,
    events: events.length,
    matchesPerSecond: Math.round(rate.wall),
    matchesPerCpuSecond: Math.round(rate.cpu),
    eventsPerSecondAllRules: Math.round(rate.wall / rules.length),
    eventsPerCpuSecondAllRules: Math.round(rate.cpu / rules.length),
    perEventAllRulesP50Us: us(percentile(perEvent, 50)),
    perEventAllRulesP99Us: us(percentile(perEvent, 99)),
    compileUsPerPattern: Math.round(compileUs * 10) / 10,
    matchesPerPass: perPass,
    uncompiledMatchesPerCpuSecond: Math.round(peer.cpu),
    ratio: Math.round((rate.cpu / peer.cpu) * 10) / 10,
  };
  const n = (x: number): string => x.toLocaleString('en');
  console.log(
    `rules: ${result.rules}, events: ${result.events} (contract examples in their envelope, varied); ${perPass} matches a pass`,
  );
  console.log(
    `compiled:   ${n(result.matchesPerSecond)} rule evaluations/s wall, ${n(result.matchesPerCpuSecond)} per CPU second`,
  );
  console.log(
    `            ${n(result.eventsPerSecondAllRules)} events/s wall through all ${rules.length} rules, ${n(result.eventsPerCpuSecondAllRules)} per CPU second`,
  );
  console.log(
    `            one event through all rules: p50 ${result.perEventAllRulesP50Us} µs, p99 ${result.perEventAllRulesP99Us} µs`,
  );
  console.log(
    `uncompiled: ${n(result.uncompiledMatchesPerCpuSecond)} rule evaluations per CPU second (matchesPattern per call)`,
  );
  console.log(`compile:    ${result.compileUsPerPattern} µs CPU per pattern (warm)`);
  console.log(
    '(shared machine: wall-clock figures vary with load; CPU-second figures are steadier)',
  );
  console.log(JSON.stringify(result));
  return 0;
}
