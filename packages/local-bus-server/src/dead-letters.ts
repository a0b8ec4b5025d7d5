import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BusEvent } from './event.js';
import { GroupCommitLog } from './log-writer.js';

/** An event that could not be delivered to one target, with the last error. */
export interface DeadLetter {
  Id: string;
  EventBusName: string;
  RuleName: string;
  RuleArn: string;
  TargetId: string;
  TargetArn: string;
  Event: BusEvent;
  /** The body the last attempt sent (after input transformation). */
  Input?: string;
  Attempts: number;
  LastError: string;
  /** ISO times. */
  AcceptedTime: string;
  LastAttemptTime: string;
  DeadLetteredTime: string;
}

type Op = { op: 'add'; entry: DeadLetter } | { op: 'remove'; id: string };

/**
 * The dead-letter store: an fsync'd append-only log of adds and removals, compacted on open.
 * A dead letter is on disk before the delivery it replaces is acknowledged.
 */
export class DeadLetterStore {
  private readonly entries = new Map<string, DeadLetter>();
  private readonly log: GroupCommitLog;

  constructor(dir: string) {
    const path = join(dir, 'dead-letters.log');
    if (existsSync(path)) {
      for (const line of readFileSync(path, 'utf8').split('\n')) {
        if (!line) continue;
        try {
          const op = JSON.parse(line) as Op;
          if (op.op === 'add') this.entries.set(op.entry.Id, op.entry);
          else this.entries.delete(op.id);
        } catch {
          // A partial last line from a crash: that add or removal was never acknowledged.
        }
      }
      const text = [...this.entries.values()]
        .map((entry) => `${JSON.stringify({ op: 'add', entry })}\n`)
        .join('');
      writeFileSync(`${path}.tmp`, text);
      renameSync(`${path}.tmp`, path);
    }
    this.log = new GroupCommitLog(path, 0, true);
  }

  /** Stores a dead letter durably. */
  async add(entry: DeadLetter): Promise<void> {
    await this.log.append(`${JSON.stringify({ op: 'add', entry } satisfies Op)}\n`);
    this.entries.set(entry.Id, entry);
  }

  /** Removes a dead letter durably (after it has been re-driven). */
  async remove(id: string): Promise<void> {
    await this.log.append(`${JSON.stringify({ op: 'remove', id } satisfies Op)}\n`);
    this.entries.delete(id);
  }

  /** The dead letter `id`, if stored. */
  get(id: string): DeadLetter | undefined {
    return this.entries.get(id);
  }

  /** Every stored dead letter, oldest first. */
  list(): DeadLetter[] {
    return [...this.entries.values()];
  }

  /** Flushes and closes the log. */
  close(): Promise<void> {
    return this.log.close();
  }
}
