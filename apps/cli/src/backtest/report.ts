import { rocAuc } from '@lakewatch/ipinsights';
import { pairKey } from '../feedback/store.js';
import type { PairLabels } from './labels.js';

/** One shadow verdict as the collector keeps it (from ShadowVerdictsRecorded). */
export interface CollectedVerdict {
  role: 'baseline' | 'candidate';
  batchId: string;
  entity: { type: string; uid: string };
  ip: string;
  dotProduct: number;
  anomalous: boolean;
  lastSeen: string;
}

/** A model as the report names it. */
export interface SideInfo {
  model: string;
  threshold: number;
}

/** What the report is computed from; nothing here depends on when it runs. */
export interface ReportInput {
  runId: string;
  from: string;
  to: string;
  baseline: SideInfo;
  candidate: SideInfo;
  verdicts: readonly CollectedVerdict[];
  labels?: PairLabels;
  /** An anomalous pair counts as one alert per window of this length (event time). */
  alertWindowSeconds: number;
}

/** Precision, recall and AUC of one side against the labelled pairs. */
export interface LabelledMetrics {
  labelledPairs: number;
  positives: number;
  negatives: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** null when nothing labelled was flagged (undefined precision). */
  precision: number | null;
  /** null when no labelled pair is anomalous. */
  recall: number | null;
  /** ROC AUC of −dot_product (lowest per pair) against the labels; null with one class only. */
  auc: number | null;
}

/** Everything the report says about one side. */
export interface SideSummary extends SideInfo {
  verdicts: number;
  pairs: number;
  anomalousPairs: number;
  alerts: number;
  dotProduct: { min: number; p01: number; p05: number; p50: number; p95: number; max: number };
  metrics?: LabelledMetrics;
}

/** An alert one side raises and the other does not. */
export interface OneSidedAlert {
  window: string;
  entity: string;
  ip: string;
  dotProduct: number;
  label?: 0 | 1;
}

/** The comparison report (`report.json`): deterministic for the same inputs. */
export interface BacktestReport {
  schemaVersion: '1.0';
  runId: string;
  window: { from: string; to: string };
  alertWindowSeconds: number;
  labels: { sources: readonly string[]; complete: boolean; pairs: number } | null;
  baseline: SideSummary;
  candidate: SideSummary;
  perDay: Array<{ day: string; baseline: number; candidate: number }>;
  perEntity: Array<{ entity: string; baseline: number; candidate: number }>;
  onlyBaseline: { count: number; alerts: OneSidedAlert[] };
  onlyCandidate: { count: number; alerts: OneSidedAlert[] };
  scoreHistogram: { edges: number[]; baseline: number[]; candidate: number[] };
}

/** How many one-sided alerts the report lists (the counts are always complete). */
export const LISTED_ONE_SIDED = 200;
const BINS = 40;

interface PairAgg {
  entity: string;
  ip: string;
  minDot: number;
  anomalous: boolean;
}

interface Side {
  pairs: Map<string, PairAgg>;
  /** alert key (window|entity|ip) → lowest dot product in that window. */
  alerts: Map<string, number>;
  dots: number[];
}

const round = (v: number, digits = 6): number => Number(v.toFixed(digits));

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function aggregate(verdicts: readonly CollectedVerdict[], windowMs: number): Side {
  const side: Side = { pairs: new Map(), alerts: new Map(), dots: [] };
  for (const v of verdicts) {
    const k = pairKey(v.entity.uid, v.ip);
    side.dots.push(v.dotProduct);
    const p = side.pairs.get(k);
    if (!p)
      side.pairs.set(k, {
        entity: v.entity.uid,
        ip: v.ip,
        minDot: v.dotProduct,
        anomalous: v.anomalous,
      });
    else {
      p.minDot = Math.min(p.minDot, v.dotProduct);
      p.anomalous ||= v.anomalous;
    }
    if (!v.anomalous) continue;
    const start = Math.floor(Date.parse(v.lastSeen) / windowMs) * windowMs;
    const ak = `${new Date(start).toISOString()}|${k}`;
    side.alerts.set(ak, Math.min(side.alerts.get(ak) ?? Number.POSITIVE_INFINITY, v.dotProduct));
  }
  side.dots.sort((a, b) => a - b);
  return side;
}

function metricsOf(side: Side, labels: PairLabels): LabelledMetrics {
  const scores: number[] = [];
  const ys: number[] = [];
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const [k, p] of side.pairs) {
    const y = labels.labels.get(k) ?? (labels.complete ? 0 : undefined);
    if (y === undefined) continue;
    scores.push(-p.minDot);
    ys.push(y);
    if (p.anomalous && y === 1) tp++;
    else if (p.anomalous) fp++;
    else if (y === 1) fn++;
  }
  const positives = ys.filter((y) => y === 1).length;
  const auc = rocAuc(scores, ys);
  return {
    labelledPairs: ys.length,
    positives,
    negatives: ys.length - positives,
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    precision: tp + fp > 0 ? round(tp / (tp + fp)) : null,
    recall: positives > 0 ? round(tp / positives) : null,
    auc: Number.isNaN(auc) ? null : round(auc),
  };
}

function summary(info: SideInfo, side: Side, count: number, labels?: PairLabels): SideSummary {
  const d = side.dots;
  return {
    ...info,
    verdicts: count,
    pairs: side.pairs.size,
    anomalousPairs: [...side.pairs.values()].filter((p) => p.anomalous).length,
    alerts: side.alerts.size,
    dotProduct: {
      min: round(d[0] ?? Number.NaN),
      p01: round(quantile(d, 0.01)),
      p05: round(quantile(d, 0.05)),
      p50: round(quantile(d, 0.5)),
      p95: round(quantile(d, 0.95)),
      max: round(d[d.length - 1] ?? Number.NaN),
    },
    ...(labels && { metrics: metricsOf(side, labels) }),
  };
}

function countBy(keys: Iterable<string>, pick: (k: string) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const k of keys) {
    const g = pick(k);
    out.set(g, (out.get(g) ?? 0) + 1);
  }
  return out;
}

function oneSided(mine: Side, other: Side, labels?: PairLabels): BacktestReport['onlyBaseline'] {
  const keys = [...mine.alerts.keys()].filter((k) => !other.alerts.has(k)).sort();
  return {
    count: keys.length,
    alerts: keys.slice(0, LISTED_ONE_SIDED).map((k) => {
      const [window, entity, ip] = k.split('|') as [string, string, string];
      const y = labels?.labels.get(pairKey(entity, ip)) ?? (labels?.complete ? 0 : undefined);
      return {
        window,
        entity,
        ip,
        dotProduct: round(mine.alerts.get(k)!),
        ...(y !== undefined && { label: y }),
      };
    }),
  };
}

function histogram(a: readonly number[], b: readonly number[]): BacktestReport['scoreHistogram'] {
  const lo = Math.min(a[0] ?? 0, b[0] ?? 0);
  const hi = Math.max(a[a.length - 1] ?? 1, b[b.length - 1] ?? 1);
  const width = (hi - lo) / BINS || 1;
  const edges = Array.from({ length: BINS + 1 }, (_, i) => round(lo + i * width));
  const count = (xs: readonly number[]) => {
    const c = new Array<number>(BINS).fill(0);
    for (const x of xs) c[Math.max(0, Math.min(BINS - 1, Math.floor((x - lo) / width)))]! += 1;
    return c;
  };
  return { edges, baseline: count(a), candidate: count(b) };
}

/**
 * Builds the comparison from both sides' verdicts. Every list is sorted and every number
 * rounded, so the same verdicts (in any order of arrival) give the same report.
 */
export function buildReport(input: ReportInput): BacktestReport {
  const windowMs = input.alertWindowSeconds * 1000;
  const byRole = (r: CollectedVerdict['role']) => input.verdicts.filter((v) => v.role === r);
  const bv = byRole('baseline');
  const cv = byRole('candidate');
  const b = aggregate(bv, windowMs);
  const c = aggregate(cv, windowMs);
  const day = (k: string) => k.slice(0, 10);
  const entity = (k: string) => k.split('|')[1]!;
  const bd = countBy(b.alerts.keys(), day);
  const cd = countBy(c.alerts.keys(), day);
  const days = [...new Set([...bd.keys(), ...cd.keys()])].sort();
  const be = countBy(b.alerts.keys(), entity);
  const ce = countBy(c.alerts.keys(), entity);
  const perEntity = [...new Set([...be.keys(), ...ce.keys()])]
    .map((e) => ({ entity: e, baseline: be.get(e) ?? 0, candidate: ce.get(e) ?? 0 }))
    .sort(
      (x, y) =>
        y.baseline + y.candidate - (x.baseline + x.candidate) || x.entity.localeCompare(y.entity),
    );
  const labels = input.labels;
  let labelledPairs = 0;
  if (labels) {
    const seen = new Set([...b.pairs.keys(), ...c.pairs.keys()]);
    for (const k of seen) if (labels.labels.has(k) || labels.complete) labelledPairs++;
  }
  return {
    schemaVersion: '1.0',
    runId: input.runId,
    window: { from: input.from, to: input.to },
    alertWindowSeconds: input.alertWindowSeconds,
    labels: labels
      ? { sources: labels.sources, complete: labels.complete, pairs: labelledPairs }
      : null,
    baseline: summary(input.baseline, b, bv.length, labels),
    candidate: summary(input.candidate, c, cv.length, labels),
    perDay: days.map((d) => ({ day: d, baseline: bd.get(d) ?? 0, candidate: cd.get(d) ?? 0 })),
    perEntity,
    onlyBaseline: oneSided(b, c, labels),
    onlyCandidate: oneSided(c, b, labels),
    scoreHistogram: histogram(b.dots, c.dots),
  };
}
