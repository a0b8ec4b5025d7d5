import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  truncateSync,
  unlinkSync,
} from 'node:fs';
import { join } from 'node:path';
import { StorageError } from './errors.js';
import type { BusEvent } from './event.js';
import { GroupCommitLog } from './log-writer.js';

/** One delivery owed: the event must reach target `targetId` of rule `rule`. */
export type TaskRef = readonly [rule: string, targetId: string];

/** An accepted event as the log keeps it. */
export interface LoggedEvent {
  seq: number;
  segment: number;
  bus: string;
  event: BusEvent;
  /** Milliseconds since the epoch when the bus accepted the event. */
  acceptedAt: number;
  tasks: TaskRef[];
  /** The dead letter this record re-drives, if any. */
  deadLetterId?: string;
  /** The event as JSON text, serialized once for the log, archives and delivery. */
  json?: string;
}

/** What `open` recovered: events with the deliveries still owed. */
export interface Recovered {
  event: LoggedEvent;
  pending: TaskRef[];
}

interface Segment {
  events: GroupCommitLog;
  acks: GroupCommitLog;
  pending: number;
}

interface StoredRecord {
  s: number;
  b: string;
  a: number;
  e: BusEvent;
  t: TaskRef[];
  d?: string;
}

const SEGMENT_RE = /^events-(\d{8})\.log$/;
const name = (kind: string, n: number): string => `${kind}-${String(n).padStart(8, '0')}.log`;

function readLines(path: string): string[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  const end = text.lastIndexOf('\n');
  // A crash can leave a partial last line; it was never acknowledged, so drop it.
  if (end + 1 < text.length) truncateSync(path, Buffer.byteLength(text.slice(0, end + 1)));
  return end < 0 ? [] : text.slice(0, end).split('\n');
}

/**
 * The durable record of accepted events: segment files of JSON lines written with group
 * commit, and beside each an unsynced log of completed deliveries (a lost ack means a
 * duplicate delivery, never a lost one). A segment is deleted once every delivery it
 * owes is done.
 */
export class EventLog {
  private readonly dir: string;
  private readonly segmentBytes: number;
  private readonly segments = new Map<number, Segment>();
  private readonly retiring = new Set<Promise<void>>();
  private active = 0;
  private seq = 0;
  /** Lines that could not be parsed during recovery. */
  corruptLines = 0;

  private constructor(dir: string, segmentBytes: number) {
    this.dir = dir;
    this.segmentBytes = segmentBytes;
  }

  /** Opens (or creates) the log in `dir` and returns the deliveries still owed. */
  static open(dir: string, segmentBytes: number): { log: EventLog; recovered: Recovered[] } {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (cause) {
      throw new StorageError(`cannot create ${dir}: ${(cause as Error).message}`, { cause });
    }
    const log = new EventLog(dir, segmentBytes);
    const recovered: Recovered[] = [];
    const numbers = readdirSync(dir)
      .map((f) => SEGMENT_RE.exec(f)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    for (const n of numbers) {
      const acked = new Set(readLines(join(dir, name('acks', n))));
      let pending = 0;
      for (const line of readLines(join(dir, name('events', n)))) {
        let r: StoredRecord;
        try {
          r = JSON.parse(line) as StoredRecord;
        } catch {
          log.corruptLines++;
          continue;
        }
        log.seq = Math.max(log.seq, r.s);
        const owed = r.t.filter(([rule, id]) => !acked.has(ackLine(r.s, rule, id)));
        if (owed.length === 0) continue;
        pending += owed.length;
        const event: LoggedEvent = {
          seq: r.s,
          segment: n,
          bus: r.b,
          event: r.e,
          acceptedAt: r.a,
          tasks: r.t,
          ...(r.d ? { deadLetterId: r.d } : {}),
        };
        recovered.push({ event, pending: owed });
      }
      if (pending === 0) log.remove(n);
      else log.segments.set(n, log.openSegment(n, pending));
      log.active = n;
    }
    log.rotate();
    return { log, recovered };
  }

  private openSegment(n: number, pending: number): Segment {
    const size = (p: string): number => (existsSync(p) ? readFileSync(p).length : 0);
    const ev = join(this.dir, name('events', n));
    const ak = join(this.dir, name('acks', n));
    return {
      events: new GroupCommitLog(ev, size(ev), true),
      acks: new GroupCommitLog(ak, size(ak), false),
      pending,
    };
  }

  private remove(n: number): void {
    for (const kind of ['events', 'acks']) {
      const p = join(this.dir, name(kind, n));
      if (existsSync(p)) unlinkSync(p);
    }
  }

  private rotate(): void {
    const old = this.segments.get(this.active);
    this.active++;
    this.segments.set(this.active, this.openSegment(this.active, 0));
    if (old && old.pending === 0) this.retire(this.active - 1, old);
  }

  private retire(n: number, seg: Segment): void {
    this.segments.delete(n);
    const done = Promise.all([seg.events.close(), seg.acks.close()])
      .then(() => this.remove(n))
      .catch(() => {
        // Left on disk: recovery finds nothing owed in it and deletes it at the next start.
      })
      .finally(() => this.retiring.delete(done));
    this.retiring.add(done);
  }

  /**
   * Appends events durably (fsync'd, group commit) and returns them with their sequence
   * numbers and segment; resolves only once they are on disk.
   */
  async append(items: ReadonlyArray<Omit<LoggedEvent, 'seq' | 'segment'>>): Promise<LoggedEvent[]> {
    let seg = this.segments.get(this.active);
    if (!seg || seg.events.size >= this.segmentBytes) {
      this.rotate();
      seg = this.segments.get(this.active)!;
    }
    const out: LoggedEvent[] = [];
    let text = '';
    for (const item of items) {
      const json = item.json ?? JSON.stringify(item.event);
      const seq = ++this.seq;
      const logged: LoggedEvent = {
        seq,
        segment: this.active,
        bus: item.bus,
        event: item.event,
        acceptedAt: item.acceptedAt,
        tasks: item.tasks,
        json,
      };
      if (item.deadLetterId !== undefined) logged.deadLetterId = item.deadLetterId;
      // Same shape as StoredRecord, with the event's JSON text reused rather than re-serialized.
      const d = item.deadLetterId ? `,"d":${JSON.stringify(item.deadLetterId)}` : '';
      const t = item.tasks.length === 0 ? '[]' : JSON.stringify(item.tasks);
      text += `{"s":${seq},"b":${quoted(item.bus)},"a":${item.acceptedAt},"t":${t}${d},"e":${json}}\n`;
      seg.pending += item.tasks.length;
      out.push(logged);
    }
    await seg.events.append(text);
    return out;
  }

  /** Records that a delivery owed by `event` is finished (delivered or dead-lettered). */
  ack(event: LoggedEvent, rule: string, targetId: string): void {
    const seg = this.segments.get(event.segment);
    if (!seg) return;
    // A lost ack only means a duplicate delivery after a restart: nobody waits for it.
    seg.acks.appendDetached(`${ackLine(event.seq, rule, targetId)}\n`);
    seg.pending--;
    if (seg.pending <= 0 && event.segment !== this.active) this.retire(event.segment, seg);
  }

  /** Number of deliveries still owed. */
  get pendingDeliveries(): number {
    let n = 0;
    for (const s of this.segments.values()) n += s.pending;
    return n;
  }

  /** Flushes and closes every segment. */
  async close(): Promise<void> {
    await Promise.all([
      ...[...this.segments.values()].flatMap((s) => [s.events.close(), s.acks.close()]),
      ...this.retiring,
    ]);
    this.segments.clear();
  }
}

// Bus names are few: their JSON text is made once each.
const quotedNames = new Map<string, string>();
function quoted(name: string): string {
  let q = quotedNames.get(name);
  if (q === undefined) {
    q = JSON.stringify(name);
    if (quotedNames.size < 1000) quotedNames.set(name, q);
  }
  return q;
}

function ackLine(seq: number, rule: string, targetId: string): string {
  return JSON.stringify([seq, rule, targetId]);
}
