import {
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { BusEvent } from './event.js';
import { GroupCommitLog } from './log-writer.js';

/** One archived event and when the bus accepted it (ms since the epoch). */
export interface ArchivedEvent {
  at: number;
  e: BusEvent;
}

/** The events of one archive: an fsync'd JSON-lines file, trimmed to the retention. */
export class ArchiveFile {
  private readonly path: string;
  private log: GroupCommitLog;
  private trimming: Promise<void> | undefined;
  eventCount = 0;

  constructor(dir: string, name: string) {
    mkdirSync(dir, { recursive: true });
    this.path = join(dir, `${name}.log`);
    let size = 0;
    if (existsSync(this.path)) {
      const text = readFileSync(this.path, 'utf8');
      const end = text.lastIndexOf('\n') + 1;
      if (end < text.length) writeFileSync(this.path, text.slice(0, end));
      size = Buffer.byteLength(text.slice(0, end));
      for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) this.eventCount++;
    }
    this.log = new GroupCommitLog(this.path, size, true);
  }

  /** Bytes stored. */
  get sizeBytes(): number {
    return this.log.size;
  }

  /** Appends events durably; `json` is the event's JSON text. */
  append(events: ReadonlyArray<{ at: number; json: string }>): Promise<void> {
    if (this.trimming) return this.trimming.then(() => this.append(events));
    this.eventCount += events.length;
    return this.log.append(events.map((e) => `{"at":${e.at},"e":${e.json}}\n`).join(''));
  }

  /** Every archived event, oldest first. */
  async read(): Promise<ArchivedEvent[]> {
    await this.log.drain();
    if (!existsSync(this.path)) return [];
    const out: ArchivedEvent[] = [];
    const text = readFileSync(this.path, 'utf8');
    // Only whole lines: a write of a later batch may be under way.
    for (const line of text.slice(0, text.lastIndexOf('\n') + 1).split('\n')) {
      if (line) out.push(JSON.parse(line) as ArchivedEvent);
    }
    return out;
  }

  /** Drops events accepted before `cutoff` (ms); returns how many were dropped. */
  async trim(cutoff: number): Promise<number> {
    let dropped = 0;
    const run = async (): Promise<void> => {
      await this.log.close();
      // Synchronous from here: nothing can append between reading and reopening.
      const lines = existsSync(this.path) ? readFileSync(this.path, 'utf8').split('\n') : [];
      const keep = lines.filter((l) => l && (JSON.parse(l) as ArchivedEvent).at >= cutoff);
      dropped = lines.filter(Boolean).length - keep.length;
      const text = keep.map((l) => `${l}\n`).join('');
      if (dropped > 0) {
        writeFileSync(`${this.path}.tmp`, text);
        renameSync(`${this.path}.tmp`, this.path);
      }
      this.eventCount = keep.length;
      this.log = new GroupCommitLog(this.path, Buffer.byteLength(text), true);
    };
    this.trimming = run().finally(() => {
      this.trimming = undefined;
    });
    await this.trimming;
    return dropped;
  }

  /** Closes the file; with `remove`, deletes it. */
  async close(remove = false): Promise<void> {
    await this.log.close();
    if (remove && existsSync(this.path)) unlinkSync(this.path);
  }
}
