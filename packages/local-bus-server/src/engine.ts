import { join } from 'node:path';
import { ArchiveFile } from './archive-store.js';
import { type AccountInfo, ruleArn } from './arns.js';
import { readControlState, writeControlState } from './control-store.js';
import { DeadLetterStore } from './dead-letters.js';
import { Delivery, type DeliveryOptions } from './delivery.js';
import { notFound } from './errors.js';
import type { BusEvent } from './event.js';
import { EventLog, type LoggedEvent, type Recovered, type TaskRef } from './event-log.js';
import { compileEventPattern, type Matcher } from './matching.js';
import type { ArchiveRecord, BusRecord, ReplayRecord, RuleRecord, Target } from './model.js';

/** A rule with its compiled pattern. */
export interface LiveRule extends RuleRecord {
  matcher: Matcher;
}

/** An archive with its compiled pattern and file. */
export interface LiveArchive extends ArchiveRecord {
  matcher?: Matcher;
  file: ArchiveFile;
}

/** What the engine needs besides delivery tuning. */
export interface EngineOptions extends DeliveryOptions {
  dataDir: string;
  account: string;
  region: string;
  /** ARN → URL for targets whose `Arn` is not itself an http(s) URL. */
  targetUrls: Record<string, string>;
  /** Size at which the event log starts a new segment, in bytes. */
  segmentBytes: number;
}

/** One event offered to {@link Engine.publish}. */
export interface Publication {
  bus: string;
  event: BusEvent;
  tasks: TaskRef[];
  /** False for replayed events: archives never re-archive them. */
  archive: boolean;
  deadLetterId?: string;
}

/**
 * The bus's state and data path, independent of HTTP: buses, rules, targets, archives and
 * replays (persisted in `control.json`), the durable event log, the dead-letter store and
 * the delivery loop.
 */
export class Engine {
  readonly options: EngineOptions;
  readonly account: AccountInfo;
  readonly buses = new Map<string, BusRecord>();
  readonly rules = new Map<string, Map<string, LiveRule>>();
  readonly archives = new Map<string, LiveArchive>();
  readonly replays = new Map<string, ReplayRecord>();
  readonly eventLog: EventLog;
  readonly deadLetters: DeadLetterStore;
  readonly delivery: Delivery;
  private recovered: Recovered[];

  constructor(options: EngineOptions) {
    this.options = options;
    this.account = { account: options.account, region: options.region };
    const state = readControlState(options.dataDir);
    const now = Date.now();
    for (const b of state.buses) this.buses.set(b.name, b);
    if (!this.buses.has('default'))
      this.buses.set('default', { name: 'default', creationTime: now, lastModifiedTime: now });
    for (const r of state.rules)
      this.putRule({ ...r, matcher: compileEventPattern(r.eventPattern) });
    for (const a of state.archives) this.addArchive(a);
    for (const r of state.replays) {
      if (r.state === 'STARTING' || r.state === 'RUNNING' || r.state === 'CANCELLING')
        Object.assign(r, {
          state: 'FAILED',
          stateReason: 'The local bus restarted during the replay.',
        });
      this.replays.set(r.name, r);
    }
    this.deadLetters = new DeadLetterStore(options.dataDir);
    const { log, recovered } = EventLog.open(join(options.dataDir, 'log'), options.segmentBytes);
    this.eventLog = log;
    this.delivery = new Delivery(this, options);
    this.recovered = recovered;
    this.persist();
  }

  /**
   * Starts delivering what the log still owes. Called once the routing file is applied, so
   * that recovered deliveries see the rules and targets the bus runs with.
   */
  resume(): void {
    for (const r of this.recovered) this.delivery.enqueue(r.event, r.pending);
    this.recovered = [];
  }

  /** Writes the control plane to disk. */
  persist(): void {
    const strip = <T extends object>(o: T, ...keys: string[]): T =>
      Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k))) as T;
    writeControlState(this.options.dataDir, {
      buses: [...this.buses.values()],
      rules: [...this.rules.values()].flatMap((m) =>
        [...m.values()].map((r) => strip(r, 'matcher')),
      ),
      archives: [...this.archives.values()].map((a) => strip(a, 'matcher', 'file')),
      replays: [...this.replays.values()],
    });
  }

  /** Adds or replaces a rule (targets kept by the caller). */
  putRule(rule: LiveRule): void {
    let m = this.rules.get(rule.bus);
    if (!m) {
      m = new Map();
      this.rules.set(rule.bus, m);
    }
    m.set(rule.name, rule);
  }

  /** Opens an archive's file and registers it. */
  addArchive(a: ArchiveRecord): LiveArchive {
    const live: LiveArchive = {
      ...a,
      file: new ArchiveFile(join(this.options.dataDir, 'archives'), a.name),
      ...(a.eventPattern ? { matcher: compileEventPattern(a.eventPattern) } : {}),
    };
    this.archives.set(a.name, live);
    return live;
  }

  /** The bus, or `ResourceNotFoundException`. */
  requireBus(name: string): BusRecord {
    const bus = this.buses.get(name);
    if (!bus) throw notFound(`Event bus ${name} does not exist.`);
    return bus;
  }

  /** The rule, or `ResourceNotFoundException` as AWS words it. */
  requireRule(bus: string, name: string): LiveRule {
    this.requireBus(bus);
    const rule = this.rules.get(bus)?.get(name);
    if (!rule) throw notFound(`Rule ${name} does not exist on EventBus ${bus}.`);
    return rule;
  }

  /** The rule's ARN. */
  ruleArn(rule: { bus: string; name: string }): string {
    return ruleArn(this.account, rule.bus, rule.name);
  }

  /** The (rule, target) deliveries `event` owes on `bus`; `only` limits the rules. */
  matchTasks(bus: string, event: BusEvent, only?: ReadonlySet<string>): TaskRef[] {
    const tasks: TaskRef[] = [];
    for (const rule of this.rules.get(bus)?.values() ?? []) {
      if (rule.state !== 'ENABLED' || (only && !only.has(rule.name))) continue;
      if (rule.targets.length === 0 || !rule.matcher.matches(event)) continue;
      for (const t of rule.targets) tasks.push([rule.name, t.Id]);
    }
    return tasks;
  }

  /** Target `id` of a rule, if both still exist. */
  target(bus: string, rule: string, id: string): { rule: LiveRule; target: Target } | undefined {
    const r = this.rules.get(bus)?.get(rule);
    const t = r?.targets.find((x) => x.Id === id);
    return r && t ? { rule: r, target: t } : undefined;
  }

  /**
   * Makes events durable (event log and matching archives, fsync'd with group commit),
   * then hands their deliveries to the delivery loop. Resolves once durable.
   */
  async publish(items: readonly Publication[]): Promise<LoggedEvent[]> {
    const now = Date.now();
    const json = items.map((i) => JSON.stringify(i.event));
    const archived = new Map<LiveArchive, { at: number; json: string }[]>();
    if (this.archives.size > 0)
      items.forEach((item, n) => {
        if (!item.archive) return;
        for (const a of this.archives.values()) {
          if (a.bus !== item.bus || a.state !== 'ENABLED') continue;
          if (a.matcher && !a.matcher.matches(item.event)) continue;
          let list = archived.get(a);
          if (!list) {
            list = [];
            archived.set(a, list);
          }
          list.push({ at: now, json: json[n] as string });
        }
      });
    const appended = this.eventLog.append(
      items.map((i, n) => ({
        bus: i.bus,
        event: i.event,
        json: json[n] as string,
        acceptedAt: now,
        tasks: i.tasks,
        ...(i.deadLetterId ? { deadLetterId: i.deadLetterId } : {}),
      })),
    );
    const logged =
      archived.size === 0
        ? await appended
        : (
            await Promise.all([appended, ...[...archived].map(([a, evs]) => a.file.append(evs))])
          )[0];
    for (const l of logged) if (l.tasks.length > 0) this.delivery.enqueue(l, l.tasks);
    return logged;
  }

  /** Drops archived events past each archive's retention. */
  async trimArchives(now = Date.now()): Promise<void> {
    for (const a of this.archives.values())
      if (a.retentionDays > 0) await a.file.trim(now - a.retentionDays * 86_400_000);
  }

  /** Stops delivery and closes every file. */
  async close(): Promise<void> {
    this.delivery.stop();
    await Promise.all([
      this.eventLog.close(),
      this.deadLetters.close(),
      ...[...this.archives.values()].map((a) => a.file.close()),
    ]);
  }
}
