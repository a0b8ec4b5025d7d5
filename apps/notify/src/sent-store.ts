import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Outgoing } from '@lakewatch/service-kit';

/** One sent notification, remembered for suppression and duplicate detection. */
export interface SentRecord {
  /** `finding|<findingId>|<route>|<target>` or `incident|<entity>|<ip>|<route>|<target>`. */
  key: string;
  findingId: string;
  /** Epoch ms of the send. */
  at: number;
  /**
   * The outcome event owed for this send (NotificationDelivered/Failed), until a
   * `published|<key>` record says it reached the bus: a restart after a crash between the two
   * publishes it then, instead of losing it.
   */
  outcome?: Outgoing;
}

/**
 * Remembers what was sent, for the suppression window and to never send the same finding
 * twice to a target on a route. In memory, plus (with a path) a JSON-lines file appended on
 * every send and read back at start, so a restart does not resend. A torn last line is
 * skipped.
 */
export class SentStore {
  private readonly records = new Map<string, SentRecord>();

  constructor(private readonly path?: string) {
    if (!path) return;
    mkdirSync(dirname(path), { recursive: true });
    if (!existsSync(path)) return;
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (!line) continue;
      try {
        const r = JSON.parse(line) as SentRecord;
        if (typeof r.key === 'string' && typeof r.at === 'number') this.records.set(r.key, r);
      } catch {
        // a line torn by a crash: it was never acknowledged
      }
    }
  }

  get(key: string): SentRecord | undefined {
    return this.records.get(key);
  }

  /** Records sends (durably when the store has a file). */
  put(records: readonly SentRecord[]): void {
    for (const r of records) this.records.set(r.key, r);
    if (this.path && records.length > 0) {
      appendFileSync(this.path, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    }
  }

  get size(): number {
    return this.records.size;
  }
}
