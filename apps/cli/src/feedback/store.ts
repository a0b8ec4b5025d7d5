import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CliError } from '../errors.js';

/** An analyst's verdict on a finding. */
export type FeedbackVerdict = 'false-positive' | 'true-positive';

/** The verdicts `lakewatch feedback --verdict` accepts. */
export const FEEDBACK_VERDICTS: readonly FeedbackVerdict[] = ['false-positive', 'true-positive'];

/**
 * One line of the feedback store (`labels.jsonl`). The notify service reads the same lines
 * (`NOTIFY_SUPPRESSIONS`): the last label of an (entity, IP) decides whether it is suppressed.
 */
export interface FeedbackLabel {
  findingId: string;
  verdict: FeedbackVerdict;
  entity: { type: string; uid: string };
  ip: string;
  note?: string;
  /** Where entity and IP came from: a findings file, or the analyst's --entity/--ip. */
  resolvedFrom: string;
  labeledAt: string;
}

/** The default store: `.lakewatch/feedback/labels.jsonl` under the working directory. */
export const DEFAULT_FEEDBACK_FILE = '.lakewatch/feedback/labels.jsonl';

/** Appends labels to the store (created with its folder if missing). */
export async function appendLabels(file: string, labels: readonly FeedbackLabel[]): Promise<void> {
  if (labels.length === 0) return;
  await mkdir(dirname(file), { recursive: true });
  await appendFile(file, labels.map((l) => `${JSON.stringify(l)}\n`).join(''));
}

/** What reading a store gives: the labels in file order, and the lines that are not labels. */
export interface ReadLabels {
  labels: FeedbackLabel[];
  rejected: Array<{ line: number; reason: string }>;
}

function asLabel(v: unknown): FeedbackLabel | string {
  if (typeof v !== 'object' || v === null) return 'not a JSON object';
  const o = v as Record<string, unknown>;
  const e = o.entity as Record<string, unknown> | undefined;
  if (typeof o.findingId !== 'string') return "'findingId' is missing";
  if (!FEEDBACK_VERDICTS.includes(o.verdict as FeedbackVerdict))
    return `'verdict' must be false-positive or true-positive, got ${JSON.stringify(o.verdict)}`;
  if (typeof e?.uid !== 'string' || typeof e.type !== 'string')
    return "'entity' must be {type, uid}";
  if (typeof o.ip !== 'string' || o.ip === '') return "'ip' is missing";
  return o as unknown as FeedbackLabel;
}

/** Parses a store's text: bad lines are counted with their reason, never fatal. */
export function parseLabels(text: string): ReadLabels {
  const out: ReadLabels = { labels: [], rejected: [] };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (e) {
      out.rejected.push({ line: i + 1, reason: `not JSON: ${(e as Error).message}` });
      continue;
    }
    const label = asLabel(parsed);
    if (typeof label === 'string') out.rejected.push({ line: i + 1, reason: label });
    else out.labels.push(label);
  }
  return out;
}

/** Reads a store; a missing file is an error naming it. */
export async function readLabels(file: string): Promise<ReadLabels> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new CliError(`cannot read feedback labels ${file}: ${(cause as Error).message}`, {
      cause,
    });
  }
  return parseLabels(text);
}

/** The key of an (entity, IP) pair across feedback, backtests and training. */
export function pairKey(entityUid: string, ip: string): string {
  return `${entityUid}|${ip}`;
}

/**
 * The current verdict of each (entity, IP): the last label wins, so a later true-positive
 * lifts an earlier false-positive.
 */
export function latestVerdicts(labels: readonly FeedbackLabel[]): Map<string, FeedbackLabel> {
  const out = new Map<string, FeedbackLabel>();
  for (const l of labels) out.set(pairKey(l.entity.uid, l.ip), l);
  return out;
}
