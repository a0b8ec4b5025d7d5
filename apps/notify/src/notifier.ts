import type { NotificationDeliveredV1, NotificationFailedV1 } from '@lakewatch/contracts';
import type { ContractPublisher, Outgoing } from '@lakewatch/service-kit';
import type { Logger } from 'pino';
import { DeliveryError } from './errors.js';
import { TokenBucket } from './rate-limit.js';
import type { RoutedFinding } from './routed.js';
import type { Sender } from './senders.js';
import type { SentStore } from './sent-store.js';
import type { FeedbackSuppressions } from './suppressions.js';
import type { TargetDef } from './targets-config.js';

/** What the notifier needs; everything from outside is passed in. */
export interface NotifierDeps {
  targets: ReadonlyMap<string, TargetDef>;
  senders: ReadonlyMap<string, Sender>;
  store: SentStore;
  publisher: ContractPublisher;
  /** Pairs analysts called false positives: never notified (`NOTIFY_SUPPRESSIONS`). */
  suppressions?: FeedbackSuppressions;
  logger?: Logger;
  /** @default Date.now */
  now?: () => number;
  /** @default setTimeout */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter in [0, 1). @default Math.random */
  random?: () => number;
}

/** What happened to one target of a routed finding. */
export type TargetOutcome =
  | { target: string; status: 'delivered'; attempts: number; response: string }
  | { target: string; status: 'failed'; attempts: number; code: string }
  | { target: string; status: 'suppressed' | 'duplicate' };

/** Counters for `/health`. */
export interface NotifierStats {
  delivered: number;
  failed: number;
  suppressed: number;
  duplicates: number;
  /** Of `suppressed`: by an analyst's false-positive label. */
  suppressedByFeedback: number;
}

type Kind = NotificationDeliveredV1['target']['kind'];

/**
 * Delivers routed findings to their targets: per target, a finding already sent on this
 * route is a duplicate (never sent twice); one sent for the same (entity, IP, route) within
 * the target's suppression window is suppressed; otherwise the target's token bucket is
 * waited on (or the send fails `rate-limited`), and the send is tried up to `maxAttempts`
 * times with exponential backoff and jitter (retryable errors only). The outcome is
 * published as NotificationDelivered or NotificationFailed (the detail names finding, target
 * and route). An outcome (sent, or failed for good) is recorded with its event before that
 * event is published, and marked once it is: a publish failure (which throws, and the bus
 * redelivers) or a crash in between never resends, and the redelivery publishes the owed
 * event. An unknown target id fails `unknown-target`.
 */
export class Notifier {
  readonly stats: NotifierStats = {
    delivered: 0,
    failed: 0,
    suppressed: 0,
    duplicates: 0,
    suppressedByFeedback: 0,
  };
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly inFlight = new Map<string, Promise<TargetOutcome>>();
  private readonly incidentLocks = new Map<string, Promise<void>>();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly deps: NotifierDeps) {
    this.now = deps.now ?? Date.now;
    this.sleep = deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = deps.random ?? Math.random;
  }

  /** Delivers one routed finding to each of its targets (in parallel). */
  async handle(routed: RoutedFinding): Promise<TargetOutcome[]> {
    const results = await Promise.allSettled(routed.targets.map((t) => this.oneTarget(routed, t)));
    const failure = results.find((r) => r.status === 'rejected');
    if (failure) throw (failure as PromiseRejectedResult).reason;
    return results.map((r) => (r as PromiseFulfilledResult<TargetOutcome>).value);
  }

  private oneTarget(routed: RoutedFinding, targetId: string): Promise<TargetOutcome> {
    const key = `finding|${routed.finding.findingId}|${routed.route}|${targetId}`;
    const running = this.inFlight.get(key);
    if (running) {
      this.stats.duplicates += 1;
      return running.then(() => ({ target: targetId, status: 'duplicate' as const }));
    }
    const work = this.deliver(routed, targetId, key).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, work);
    return work;
  }

  private async deliver(
    routed: RoutedFinding,
    targetId: string,
    key: string,
  ): Promise<TargetOutcome> {
    const { finding, route } = routed;
    const log = this.deps.logger;
    const def = this.deps.targets.get(targetId);
    const sender = this.deps.senders.get(targetId);
    const done = this.deps.store.get(key);
    if (done) {
      this.stats.duplicates += 1;
      const owed = done.outcome && !this.deps.store.get(`published|${key}`);
      log?.info(
        { findingId: finding.findingId, route, target: targetId },
        owed
          ? 'already handled: duplicate skipped, its outcome event published now'
          : 'already handled: duplicate skipped',
      );
      if (done.outcome && owed) await this.publishOutcome(key, done.outcome);
      return { target: targetId, status: 'duplicate' };
    }
    if (!def || !sender) {
      await this.publishFailed(
        routed,
        key,
        { id: targetId, kind: 'webhook' },
        0,
        new DeliveryError(
          'unknown-target',
          `route ${route} names target ${targetId}, which the notify config does not define`,
          false,
        ),
      );
      return { target: targetId, status: 'failed', attempts: 0, code: 'unknown-target' };
    }
    const labelled = this.deps.suppressions?.match(finding.entity, finding.ip);
    if (labelled) {
      this.stats.suppressed += 1;
      this.stats.suppressedByFeedback += 1;
      log?.info(
        {
          findingId: finding.findingId,
          route,
          target: targetId,
          labelledFinding: labelled.findingId,
        },
        'suppressed: an analyst marked this entity and IP a false positive',
      );
      return { target: targetId, status: 'suppressed' };
    }
    const incident = `incident|${finding.entity.type}:${finding.entity.uid}|${finding.ip}|${route}|${targetId}`;
    // Findings about one entity and IP on a route and target go one at a time: two arriving
    // together (a queue the bus drains after a restart) would both pass the window check.
    const unlock = await this.lockIncident(incident);
    try {
      return await this.sendUnlessSuppressed(routed, targetId, key, incident, def, sender);
    } finally {
      unlock();
    }
  }

  /** Serializes the callers holding the same incident key (FIFO); resolves to the release. */
  private async lockIncident(incident: string): Promise<() => void> {
    const before = this.incidentLocks.get(incident);
    let release!: () => void;
    const mine = new Promise<void>((r) => {
      release = r;
    });
    const tail = (before ?? Promise.resolve()).then(() => mine);
    this.incidentLocks.set(incident, tail);
    await before;
    return () => {
      release();
      if (this.incidentLocks.get(incident) === tail) this.incidentLocks.delete(incident);
    };
  }

  private async sendUnlessSuppressed(
    routed: RoutedFinding,
    targetId: string,
    key: string,
    incident: string,
    def: TargetDef,
    sender: Sender,
  ): Promise<TargetOutcome> {
    const { finding, route } = routed;
    const log = this.deps.logger;
    const last = this.deps.store.get(incident);
    if (
      last &&
      def.suppressionSeconds > 0 &&
      this.now() - last.at < def.suppressionSeconds * 1000
    ) {
      this.stats.suppressed += 1;
      log?.info(
        { findingId: finding.findingId, route, target: targetId, sentFinding: last.findingId },
        'suppressed: same entity, IP and route within the window',
      );
      return { target: targetId, status: 'suppressed' };
    }
    const ref = { id: targetId, kind: def.kind as Kind };
    let bucket = this.buckets.get(targetId);
    if (!bucket) {
      bucket = new TokenBucket(def.ratePerMinute, def.burst, this.now, this.sleep);
      this.buckets.set(targetId, bucket);
    }
    if (!(await bucket.take(def.maxQueueMs))) {
      const err = new DeliveryError(
        'rate-limited',
        `target ${targetId}: over ${def.ratePerMinute}/min (burst ${def.burst}) for longer than ${def.maxQueueMs} ms`,
        true,
      );
      await this.publishFailed(routed, key, ref, 0, err);
      return { target: targetId, status: 'failed', attempts: 0, code: err.code };
    }
    const started = this.now();
    let attempts = 0;
    let response: string;
    for (;;) {
      attempts += 1;
      try {
        // Only the send is retried: a failure to publish its outcome is not a failed send.
        response = await sender({ finding, route, eventId: routed.eventId });
        break;
      } catch (e) {
        const err =
          e instanceof DeliveryError
            ? e
            : new DeliveryError(
                'internal-error',
                `target ${targetId}: ${(e as Error).message}`,
                false,
              );
        log?.warn(
          {
            findingId: finding.findingId,
            route,
            target: targetId,
            attempts,
            code: err.code,
            err: err.message,
          },
          'delivery attempt failed',
        );
        if (!err.retryable || attempts >= def.maxAttempts) {
          await this.publishFailed(routed, key, ref, attempts, err);
          return { target: targetId, status: 'failed', attempts, code: err.code };
        }
        const backoff = Math.min(def.backoffMaxMs, def.backoffBaseMs * 2 ** (attempts - 1));
        await this.sleep(backoff / 2 + (this.random() * backoff) / 2);
      }
    }
    const at = this.now();
    const outcome: Outgoing = {
      detailType: 'NotificationDelivered',
      detail: {
        schemaVersion: '1.0',
        findingId: finding.findingId,
        target: ref,
        route,
        attempts,
        deliveredAt: new Date(at).toISOString(),
        durationMs: Math.max(0, at - started),
        response: response.slice(0, 512),
      },
    };
    this.deps.store.put([
      { key, findingId: finding.findingId, at, outcome },
      { key: incident, findingId: finding.findingId, at },
    ]);
    this.stats.delivered += 1;
    log?.info({ findingId: finding.findingId, route, target: targetId, attempts }, 'delivered');
    await this.publishOutcome(key, outcome);
    return { target: targetId, status: 'delivered', attempts, response };
  }

  /** A final failure is recorded too: a redelivered finding does not go through it again. */
  private async publishFailed(
    routed: RoutedFinding,
    key: string,
    target: { id: string; kind: Kind },
    attempts: number,
    err: DeliveryError,
  ): Promise<void> {
    this.stats.failed += 1;
    const detail: NotificationFailedV1 = {
      schemaVersion: '1.0',
      findingId: routed.finding.findingId,
      target: { id: target.id.slice(0, 128), kind: target.kind },
      route: routed.route,
      attempts,
      error: { code: err.code, message: err.message.slice(0, 2048), retryable: err.retryable },
      failedAt: new Date(this.now()).toISOString(),
    };
    const outcome: Outgoing = { detailType: 'NotificationFailed', detail };
    this.deps.store.put([{ key, findingId: routed.finding.findingId, at: this.now(), outcome }]);
    await this.publishOutcome(key, outcome);
  }

  /** Publishes a recorded outcome event, then marks it published (a failure throws). */
  private async publishOutcome(key: string, outcome: Outgoing): Promise<void> {
    await this.deps.publisher.publish([outcome]);
    const findingId = (outcome.detail as { findingId: string }).findingId;
    this.deps.store.put([{ key: `published|${key}`, findingId, at: this.now() }]);
  }
}
