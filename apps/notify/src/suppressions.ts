import { readFileSync, statSync } from 'node:fs';
import type { Logger } from 'pino';

/** Why an (entity, IP) is suppressed: the analyst's label that decided it. */
export interface Suppression {
  findingId: string;
  note?: string;
}

/** Options of {@link FeedbackSuppressions}. */
export interface FeedbackSuppressionsOptions {
  /** How often the file is checked for changes, ms. @default 1000 */
  reloadMs?: number;
  /** @default Date.now */
  now?: () => number;
  logger?: Logger;
}

/**
 * The analysts' false positives, read from the feedback store that `lakewatch feedback`
 * writes (JSON lines `{findingId, verdict, entity: {type, uid}, ip, note?}`): the last label
 * of an (entity, IP) decides; `false-positive` suppresses every notification about that pair,
 * `true-positive` lifts it. The file is re-read when its size or mtime changes (checked at
 * most every `reloadMs`); a missing file suppresses nothing; a bad line is counted and skipped.
 */
export class FeedbackSuppressions {
  private map = new Map<string, Suppression>();
  private checkedAt = Number.NEGATIVE_INFINITY;
  private signature = '';
  /** Lines of the last read that were not labels. */
  rejected = 0;
  private readonly reloadMs: number;
  private readonly now: () => number;

  constructor(
    readonly path: string,
    private readonly options: FeedbackSuppressionsOptions = {},
  ) {
    this.reloadMs = options.reloadMs ?? 1000;
    this.now = options.now ?? Date.now;
  }

  /** The suppression of this (entity, IP), if an analyst called it a false positive. */
  match(entity: { type: string; uid: string }, ip: string): Suppression | undefined {
    this.refresh();
    return this.map.get(`${entity.type}:${entity.uid}|${ip}`);
  }

  /** Number of suppressed pairs now. */
  get size(): number {
    this.refresh();
    return this.map.size;
  }

  private refresh(): void {
    const t = this.now();
    if (t - this.checkedAt < this.reloadMs) return;
    this.checkedAt = t;
    let sig = 'missing';
    try {
      const s = statSync(this.path);
      sig = `${s.size}:${s.mtimeMs}`;
    } catch {
      // no feedback yet
    }
    if (sig === this.signature) return;
    this.signature = sig;
    this.load(sig === 'missing' ? '' : readFileSync(this.path, 'utf8'));
  }

  private load(text: string): void {
    const latest = new Map<string, { verdict: string; s: Suppression }>();
    let rejected = 0;
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const o = JSON.parse(line) as Record<string, unknown>;
        const e = o.entity as { type?: unknown; uid?: unknown } | undefined;
        if (
          typeof o.findingId !== 'string' ||
          (o.verdict !== 'false-positive' && o.verdict !== 'true-positive') ||
          typeof e?.type !== 'string' ||
          typeof e.uid !== 'string' ||
          typeof o.ip !== 'string'
        ) {
          rejected++;
          continue;
        }
        latest.set(`${e.type}:${e.uid}|${o.ip}`, {
          verdict: o.verdict,
          s: { findingId: o.findingId, ...(typeof o.note === 'string' && { note: o.note }) },
        });
      } catch {
        rejected++;
      }
    }
    this.map = new Map(
      [...latest].filter(([, v]) => v.verdict === 'false-positive').map(([k, v]) => [k, v.s]),
    );
    this.rejected = rejected;
    this.options.logger?.info(
      { path: this.path, suppressed: this.map.size, rejectedLines: rejected },
      'feedback suppressions loaded',
    );
  }
}
