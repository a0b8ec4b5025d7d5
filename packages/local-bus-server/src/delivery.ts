import { randomUUID } from 'node:crypto';
import type { Engine, LiveRule } from './engine.js';
import { eventTime } from './event.js';
import type { LoggedEvent, TaskRef } from './event-log.js';
import { type PostEndpoint, post, postEndpoint } from './http-post.js';
import { targetBody } from './matching.js';
import type { Target } from './model.js';

/** Tuning of target delivery. */
export interface DeliveryOptions {
  /** First retry delay; doubles per attempt, with jitter. */
  retryBaseDelayMs: number;
  /** Longest retry delay. */
  retryMaxDelayMs: number;
  /** How long one POST may take before it counts as failed. */
  deliveryTimeoutMs: number;
  /** POSTs in flight per target at most. */
  maxInFlightPerTarget: number;
  /** Where operational messages go. */
  log: (line: string) => void;
}

interface Job {
  event: LoggedEvent;
  rule: string;
  targetId: string;
  attempts: number;
  lastAttemptAt?: number;
}

interface Lane {
  inFlight: number;
  ready: Job[];
}

/** EventBridge's defaults when a target has no RetryPolicy. */
const DEFAULT_RETRIES = 185;
const DEFAULT_MAX_AGE_S = 86_400;

/** Resolves the URL a target is delivered to, or undefined when it has none. */
export function targetUrl(target: Target, urls: Record<string, string>): URL | undefined {
  const base = baseOf(target, urls);
  if (!base) return undefined;
  const values = [...(target.HttpParameters?.PathParameterValues ?? [])];
  const url = new URL(base.replace(/\*/g, () => encodeURIComponent(values.shift() ?? '')));
  for (const [k, v] of Object.entries(target.HttpParameters?.QueryStringParameters ?? {}))
    url.searchParams.set(k, v);
  return url;
}

/** A target's endpoint as last resolved, with the base URL it was resolved from. */
interface ResolvedTarget {
  base: string | undefined;
  endpoint: PostEndpoint | undefined;
  error?: Error;
}

function baseOf(target: Target, urls: Record<string, string>): string | undefined {
  const arn = target.Arn;
  return arn.startsWith('http://') || arn.startsWith('https://') ? arn : urls[arn];
}

/**
 * At-least-once delivery to HTTP targets: one lane per (rule, target) with bounded
 * concurrency, the target's RetryPolicy with exponential backoff and jitter, and the
 * dead-letter store once the policy is exhausted. Each finished delivery is acknowledged
 * in the event log.
 */
export class Delivery {
  private readonly engine: Engine;
  private readonly options: DeliveryOptions;
  private readonly lanes = new Map<string, Lane>();
  private readonly timers = new Set<NodeJS.Timeout>();
  // Per target and rule object (PutTargets / PutRule replace them, which drops the entry):
  // the parsed URL and the rule ARN, rather than built again for every delivery.
  private readonly endpoints = new WeakMap<Target, ResolvedTarget>();
  private readonly ruleArns = new WeakMap<LiveRule, string>();
  private stopped = false;

  constructor(engine: Engine, options: DeliveryOptions) {
    this.engine = engine;
    this.options = options;
  }

  /** Queues the deliveries `tasks` of a durable event. */
  enqueue(event: LoggedEvent, tasks: readonly TaskRef[]): void {
    for (const [rule, targetId] of tasks) this.ready({ event, rule, targetId, attempts: 0 });
  }

  private ready(job: Job): void {
    const key = `${job.event.bus}\0${job.rule}\0${job.targetId}`;
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { inFlight: 0, ready: [] };
      this.lanes.set(key, lane);
    }
    lane.ready.push(job);
    this.pump(lane);
  }

  private pump(lane: Lane): void {
    while (!this.stopped && lane.inFlight < this.options.maxInFlightPerTarget) {
      const job = lane.ready.shift();
      if (!job) return;
      lane.inFlight++;
      // One promise per delivery on the path every delivery takes (not catch + finally).
      const finish = (): void => {
        lane.inFlight--;
        this.pump(lane);
      };
      void this.attempt(job).then(finish, (e: unknown) =>
        this.deadLetter(job, undefined, `delivery failed: ${(e as Error).message}`).then(
          finish,
          finish,
        ),
      );
    }
  }

  private async attempt(job: Job): Promise<void> {
    const { engine } = this;
    const found = engine.target(job.event.bus, job.rule, job.targetId);
    if (!found) {
      // The target was removed: nothing owes this delivery any more.
      engine.eventLog.ack(job.event, job.rule, job.targetId);
      return;
    }
    const { rule, target } = found;
    const maxRetries = target.RetryPolicy?.MaximumRetryAttempts ?? DEFAULT_RETRIES;
    const maxAgeMs = (target.RetryPolicy?.MaximumEventAgeInSeconds ?? DEFAULT_MAX_AGE_S) * 1000;
    const resolved = this.resolve(target);
    if (resolved.error)
      return this.deadLetter(job, target, `target URL is not valid: ${resolved.error.message}`);
    const endpoint = resolved.endpoint;
    if (!endpoint)
      return this.deadLetter(
        job,
        target,
        `no URL for target ARN ${target.Arn}: use an http(s) URL or map the ARN in the routing file's Endpoints`,
      );
    let body: string;
    try {
      // Without Input / InputPath / InputTransformer the target gets the event as is.
      const whole =
        target.Input === undefined &&
        target.InputPath === undefined &&
        target.InputTransformer === undefined;
      body = whole
        ? (job.event.json ?? JSON.stringify(job.event.event))
        : targetBody(target, job.event.event, {
            ruleName: rule.name,
            ruleArn: this.ruleArn(rule),
            ingestionTime: eventTime(new Date(job.event.acceptedAt)),
          });
    } catch (e) {
      return this.deadLetter(job, target, `input transformation failed: ${(e as Error).message}`);
    }
    job.attempts++;
    job.lastAttemptAt = Date.now();
    const headers = {
      'x-lakewatch-event-id': job.event.event.id,
      'x-lakewatch-rule-arn': this.ruleArn(rule),
      ...target.HttpParameters?.HeaderParameters,
    };
    const res = await post(endpoint, body, headers, this.options.deliveryTimeoutMs);
    if (this.stopped) return;
    if (res.ok) {
      engine.eventLog.ack(job.event, job.rule, job.targetId);
      return;
    }
    const error = res.error ?? 'delivery failed';
    if (!res.retryable) return this.deadLetter(job, target, error, body);
    if (job.attempts > maxRetries)
      return this.deadLetter(
        job,
        target,
        `${error} (MaximumRetryAttempts ${maxRetries} exhausted)`,
        body,
      );
    const backoff = Math.min(
      this.options.retryMaxDelayMs,
      this.options.retryBaseDelayMs * 2 ** (job.attempts - 1),
    );
    const delay = backoff / 2 + (Math.random() * backoff) / 2;
    if (Date.now() + delay - job.event.acceptedAt > maxAgeMs)
      return this.deadLetter(
        job,
        target,
        `${error} (MaximumEventAgeInSeconds ${maxAgeMs / 1000} exceeded)`,
        body,
      );
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.ready(job);
    }, delay);
    this.timers.add(timer);
  }

  private resolve(target: Target): ResolvedTarget {
    const base = baseOf(target, this.engine.options.targetUrls);
    let resolved = this.endpoints.get(target);
    if (resolved && resolved.base === base) return resolved;
    try {
      const url = targetUrl(target, this.engine.options.targetUrls);
      resolved = { base, endpoint: url && postEndpoint(url) };
    } catch (e) {
      resolved = { base, endpoint: undefined, error: e as Error };
    }
    this.endpoints.set(target, resolved);
    return resolved;
  }

  private ruleArn(rule: LiveRule): string {
    let arn = this.ruleArns.get(rule);
    if (arn === undefined) {
      arn = this.engine.ruleArn(rule);
      this.ruleArns.set(rule, arn);
    }
    return arn;
  }

  private async deadLetter(
    job: Job,
    target: Target | undefined,
    error: string,
    input?: string,
  ): Promise<void> {
    const now = Date.now();
    try {
      await this.engine.deadLetters.add({
        Id: randomUUID(),
        EventBusName: job.event.bus,
        RuleName: job.rule,
        RuleArn: this.engine.ruleArn({ bus: job.event.bus, name: job.rule }),
        TargetId: job.targetId,
        TargetArn: target?.Arn ?? '',
        Event: job.event.event,
        ...(input === undefined ? {} : { Input: input }),
        Attempts: job.attempts,
        LastError: error,
        AcceptedTime: new Date(job.event.acceptedAt).toISOString(),
        LastAttemptTime: new Date(job.lastAttemptAt ?? now).toISOString(),
        DeadLetteredTime: new Date(now).toISOString(),
      });
    } catch (e) {
      // Not acknowledged: the delivery stays owed and is retried after a restart.
      this.options.log(
        `cannot store dead letter for event ${job.event.event.id}: ${(e as Error).message}`,
      );
      return;
    }
    this.options.log(
      `dead-lettered event ${job.event.event.id} for ${job.rule}/${job.targetId}: ${error}`,
    );
    this.engine.eventLog.ack(job.event, job.rule, job.targetId);
  }

  /** Deliveries queued or waiting for a retry right now. */
  get backlog(): number {
    let n = this.timers.size;
    for (const l of this.lanes.values()) n += l.ready.length + l.inFlight;
    return n;
  }

  /** Stops delivering; owed deliveries stay in the log for the next start. */
  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
