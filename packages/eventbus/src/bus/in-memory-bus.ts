import { randomUUID } from 'node:crypto';
import type { PutEventsEntry } from '@lakewatch/contracts';
import { HandlerFailedError } from '../errors.js';
import { type CompiledPattern, compilePattern } from '../pattern/matcher.js';
import { MAX_PUT_EVENTS_BYTES, putEventsEntrySize } from './entry-size.js';
import type { EventBus, PublishEntryResult, PublishResult } from './port.js';

/** The event a rule's handler receives: the EventBridge envelope with `detail` parsed. */
export interface BusEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

/** A rule of the in-memory bus: events matching `eventPattern` go to `handler`. */
export interface InMemoryRule {
  name: string;
  eventPattern: object | string;
  handler: (event: BusEvent) => Promise<void> | void;
  /** Bus the rule listens on. @default 'default' */
  eventBusName?: string;
}

/** Options of {@link InMemoryBus}. */
export interface InMemoryBusOptions {
  /** @default '123456789012' */
  account?: string;
  /** @default 'us-east-1' */
  region?: string;
  /** Event ids. @default crypto.randomUUID */
  newId?: () => string;
  /** Receive time, for events without `Time`. @default () => new Date() */
  now?: () => Date;
  /**
   * When a handler throws: `'throw'` rejects `publish` (after every handler ran) with a
   * {@link HandlerFailedError}; `'record'` only keeps it in `failures`. @default 'throw'
   */
  onHandlerError?: 'throw' | 'record';
}

/** A bus named by name or ARN (`arn:aws:events:…:event-bus/<name>`); none is the default bus. */
function busName(nameOrArn: string | undefined): string {
  if (nameOrArn === undefined) return 'default';
  const at = nameOrArn.startsWith('arn:') ? nameOrArn.lastIndexOf(':event-bus/') : -1;
  return at < 0 ? nameOrArn : nameOrArn.slice(at + ':event-bus/'.length);
}

// EventBridge time has second precision: 2015-11-11T21:29:54Z
const toEventTime = (d: Date): string => `${d.toISOString().slice(0, 19)}Z`;

/**
 * The EventBus adapter for unit tests of services: rules route matching events (EventBridge
 * patterns, via the same matcher as the local bus) to handlers in-process; every accepted
 * event is kept in `published`.
 *
 * @example
 * const bus = new InMemoryBus();
 * const seen: BusEvent[] = [];
 * bus.subscribe({ name: 'anomalies', eventPattern: rulePattern('AnomalyDetected', 1), handler: (e) => { seen.push(e); } });
 * await scoreBatch(batch, { bus });
 */
export class InMemoryBus implements EventBus {
  /** Every accepted event, in order. */
  readonly published: BusEvent[] = [];
  /** Handler failures (kept whatever `onHandlerError` says). */
  readonly failures: { rule: string; eventId: string; error: unknown }[] = [];
  private readonly rules = new Map<string, InMemoryRule & { compiled: CompiledPattern }>();

  constructor(private readonly options: InMemoryBusOptions = {}) {}

  /**
   * Adds (or replaces, by name) a rule. @throws {InvalidEventPatternError} for a bad pattern.
   * @returns a function that removes the rule.
   */
  subscribe(rule: InMemoryRule): () => void {
    const compiled = compilePattern(rule.eventPattern);
    this.rules.set(rule.name, { ...rule, compiled });
    return () => {
      this.rules.delete(rule.name);
    };
  }

  /** Forgets published events and handler failures (rules stay), e.g. between tests. */
  clear(): void {
    this.published.length = 0;
    this.failures.length = 0;
  }

  async publish(entries: readonly PutEventsEntry[]): Promise<PublishResult> {
    const results: PublishEntryResult[] = [];
    const failuresBefore = this.failures.length;
    for (const entry of entries) {
      const checked = this.accept(entry);
      if ('errorCode' in checked) {
        results.push({ ok: false, ...checked, attempts: 1 });
        continue;
      }
      this.published.push(checked);
      results.push({ ok: true, eventId: checked.id, attempts: 1 });
      await this.deliver(checked, busName(entry.EventBusName));
    }
    const newFailures = this.failures.slice(failuresBefore);
    if (newFailures.length > 0 && (this.options.onHandlerError ?? 'throw') === 'throw') {
      throw new HandlerFailedError(newFailures);
    }
    return { entries: results, failedCount: results.filter((r) => !r.ok).length };
  }

  private accept(entry: PutEventsEntry): BusEvent | { errorCode: string; errorMessage: string } {
    for (const field of ['Source', 'DetailType', 'Detail'] as const) {
      if (typeof entry[field] !== 'string' || entry[field].length === 0) {
        return {
          errorCode: 'InvalidArgument',
          errorMessage: `Parameter ${field} is not valid. Reason: ${field} is a required argument.`,
        };
      }
    }
    if (putEventsEntrySize(entry) > MAX_PUT_EVENTS_BYTES) {
      return {
        errorCode: 'ValidationException',
        errorMessage: 'Total size of the entries in the request is over the limit.',
      };
    }
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail);
    } catch {
      detail = undefined;
    }
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
      return { errorCode: 'MalformedDetail', errorMessage: 'Detail is malformed.' };
    }
    return {
      version: '0',
      id: (this.options.newId ?? randomUUID)(),
      'detail-type': entry.DetailType,
      source: entry.Source,
      account: this.options.account ?? '123456789012',
      time: toEventTime(entry.Time ?? (this.options.now ?? (() => new Date()))()),
      region: this.options.region ?? 'us-east-1',
      resources: entry.Resources ?? [],
      detail: detail as Record<string, unknown>,
    };
  }

  private async deliver(event: BusEvent, bus: string): Promise<void> {
    for (const rule of [...this.rules.values()]) {
      if (busName(rule.eventBusName) !== bus || !rule.compiled.matches(event)) continue;
      try {
        await rule.handler(event);
      } catch (error) {
        this.failures.push({ rule: rule.name, eventId: event.id, error });
      }
    }
  }
}
