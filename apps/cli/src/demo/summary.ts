import { percentile, type TruthScore } from './truth.js';

/** The figures of a demo run; the last line of its output is this object as JSON. */
export interface DemoSummary {
  records: number;
  rejected: number;
  pairs: number;
  alerts: number;
  precision: number | null;
  recall: number | null;
  latency_ms_p50: number | null;
  latency_ms_p99: number | null;
  seconds: number;
  /** Alerts on exact ground-truth pairs / alerts (stricter than `precision`). */
  pair_precision: number | null;
  /** Incidents with at least one alerted pair / incidents. */
  incident_recall: number | null;
  by_kind: Record<string, { incidents: number; detected: number; pairs: string }>;
  live_objects: number;
  model: string;
  threshold: number;
}

const r3 = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);

/** Builds the summary object. */
export function buildSummary(input: {
  records: number;
  rejected: number;
  pairs: number;
  score: TruthScore | undefined;
  alerts: number;
  latencies: number[];
  seconds: number;
  liveObjects: number;
  model: string;
  threshold: number;
}): DemoSummary {
  const s = input.score;
  return {
    records: input.records,
    rejected: input.rejected,
    pairs: input.pairs,
    alerts: input.alerts,
    precision: r3(s?.precision ?? null),
    recall: r3(s?.recall ?? null),
    latency_ms_p50: percentile(input.latencies, 50),
    latency_ms_p99: percentile(input.latencies, 99),
    seconds: Math.round(input.seconds * 10) / 10,
    pair_precision: r3(s?.pairPrecision ?? null),
    incident_recall: r3(s?.incidentRecall ?? null),
    by_kind: Object.fromEntries(
      (s?.byKind ?? []).map((k) => [
        k.kind,
        {
          incidents: k.incidents,
          detected: k.detected,
          pairs: `${k.alertedPairs}/${k.observablePairs}${k.unobservablePairs ? ` (+${k.unobservablePairs} not observable)` : ''}`,
        },
      ]),
    ),
    live_objects: input.liveObjects,
    model: input.model,
    threshold: input.threshold,
  };
}

/** Why IP Insights misses some kinds, printed under the per-kind table. */
export const KIND_NOTES: Record<string, string> = {
  'lateral-movement':
    "the peer is an address of the instance's own VPC, whose /8 and /16 it talks to all the time; IP Insights sees which addresses, not ports or volumes, so an unusual internal peer scores close to the usual ones",
  'unknown-subnet':
    "the pair under 'peer' is the database with an address of its own VPC; the telling pair (the instance with its own unexpected source address) needs the 'source' pairing",
};

/** The human summary printed before the JSON line. */
export function summaryText(
  s: DemoSummary,
  score: TruthScore | undefined,
  paths: Record<string, string>,
): string {
  const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);
  const lines = [
    '',
    '== Summary',
    `records ingested ${s.records.toLocaleString('en-US')}, rejected ${s.rejected} (history and live, read = normalized + rejected)`,
    `pairs scored ${s.pairs.toLocaleString('en-US')} (live), alerts ${s.alerts}`,
  ];
  if (score) {
    lines.push(
      `precision ${pct(s.precision)} (${score.pairAlerts} on ground-truth pairs + ${score.incidentAddressAlerts} on an incident's address seen on another interface of its VPC, ${score.falsePositives} false positives; exact-pair precision ${pct(s.pair_precision)})`,
      `recall ${pct(s.recall)} of the ground-truth pairs the 'peer' pairing observes; incidents detected ${pct(s.incident_recall)}`,
    );
    for (const k of score.byKind) {
      const line = `  ${k.kind.padEnd(26)} incidents ${k.detected}/${k.incidents}  pairs ${k.alertedPairs}/${k.observablePairs}${k.unobservablePairs ? ` (+${k.unobservablePairs} only under another pairing)` : ''}`;
      const note =
        k.alertedPairs < k.observablePairs
          ? (KIND_NOTES[k.kind] ??
            'its pair scored above the calibrated threshold (see the dot products in logs/score.log)')
          : undefined;
      lines.push(note ? `${line}\n      missed: ${note}` : line);
    }
    if (score.unmatched.length > 0)
      lines.push(
        `false positives: ${score.unmatched.map((u) => `${u.entity} -> ${u.ip}`).join(', ')}`,
      );
  } else lines.push('precision/recall: no ground truth for these logs');
  lines.push(
    `alert latency from object landing: p50 ${s.latency_ms_p50 ?? 'n/a'} ms, p99 ${s.latency_ms_p99 ?? 'n/a'} ms`,
  );
  for (const [name, path] of Object.entries(paths)) lines.push(`${name.padEnd(13)} ${path}`);
  lines.push(`finished in ${s.seconds} s`);
  return `${lines.join('\n')}\n`;
}
