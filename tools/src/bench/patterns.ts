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

/** Runs the benchmark and prints its figures; the last line is one JSON object. */
export function main(): number {
  const events = loadEvents();
  const rules = ruleSet();

  const t0 = performance.now();
  const compiled = rules.map((r) => compilePattern(r));
  const compileMs = (performance.now() - t0) / rules.length;

  // Warm up, then run the compiled rule set over the events for ~2 s.
  let matched = 0;
  for (let i = 0; i < 3; i++)
    for (const e of events) for (const c of compiled) if (c.matches(e)) matched++;
  const perEvent: number[] = [];
  matched = 0;
  let evaluations = 0;
  const start = performance.now();
  while (performance.now() - start < 2000) {
    for (const e of events) {
      const s = performance.now();
      for (const c of compiled) if (c.matches(e)) matched++;
      perEvent.push(performance.now() - s);
      evaluations += compiled.length;
    }
  }
  const seconds = (performance.now() - start) / 1000;
  const compiledRate = evaluations / seconds;

  // Peer: the same work through matchesPattern, which validates and compiles every time.
  let peerEvaluations = 0;
  const peerStart = performance.now();
  while (performance.now() - peerStart < 1000) {
    for (const e of events.slice(0, 100)) {
      for (const r of rules) matchesPattern(r, e);
      peerEvaluations += rules.length;
    }
  }
  const peerRate = peerEvaluations / ((performance.now() - peerStart) / 1000);

  perEvent.sort((a, b) => a - b);
  const result = {
    bench: 'patterns',
    rules: rules.length,
    events: events.length,
    matchesPerSecond: Math.round(compiledRate),
    eventsPerSecondAllRules: Math.round(compiledRate / rules.length),
    perEventAllRulesP50Us: Math.round(percentile(perEvent, 50) * 1000 * 10) / 10,
    perEventAllRulesP99Us: Math.round(percentile(perEvent, 99) * 1000 * 10) / 10,
    compileUsPerPattern: Math.round(compileMs * 1000 * 10) / 10,
    matchedPerPass: Math.round((matched / evaluations) * rules.length * events.length),
    uncompiledMatchesPerSecond: Math.round(peerRate),
    ratio: Math.round((compiledRate / peerRate) * 10) / 10,
  };
  console.log(
    `rules: ${result.rules}, events: ${result.events} (contract examples in their envelope, varied)`,
  );
  console.log(`compiled:   ${result.matchesPerSecond.toLocaleString('en')} rule evaluations/s`);
  console.log(
    `            ${result.eventsPerSecondAllRules.toLocaleString('en')} events/s through all ${rules.length} rules`,
  );
  console.log(
    `            per event, all rules: p50 ${result.perEventAllRulesP50Us} µs, p99 ${result.perEventAllRulesP99Us} µs`,
  );
  console.log(
    `uncompiled: ${result.uncompiledMatchesPerSecond.toLocaleString('en')} rule evaluations/s (matchesPattern)`,
  );
  console.log(`compile:    ${result.compileUsPerPattern} µs per pattern`);
  console.log(JSON.stringify(result));
  return 0;
}
