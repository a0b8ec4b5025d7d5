import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FindingEnrichedV1 } from '@lakewatch/contracts';
import { InMemoryBus } from '@lakewatch/eventbus';
import { ContractPublisher, createLogger } from '@lakewatch/service-kit';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createSender,
  Notifier,
  parseNotifyTargets,
  type RoutedFinding,
  type Sender,
  SentStore,
} from '../src/index.js';
import { finding } from './helpers.js';
import { type HttpReceiver, httpReceiver } from './receivers.js';

interface Setup {
  notifier: Notifier;
  bus: InMemoryBus;
  logs: string[];
  sleeps: number[];
}

function setup(
  config: Record<string, unknown>,
  env: Record<string, string>,
  options: { store?: SentStore; now?: () => number; publisher?: ContractPublisher } = {},
): Setup {
  const { targets } = parseNotifyTargets(config, env);
  const senders = new Map<string, Sender>();
  for (const [id, def] of targets) senders.set(id, createSender(def));
  const bus = new InMemoryBus();
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const sleeps: number[] = [];
  const notifier = new Notifier({
    targets,
    senders,
    store: options.store ?? new SentStore(),
    publisher: options.publisher ?? new ContractPublisher(bus),
    logger: createLogger('notify', { level: 'debug', destination }),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...(options.now && { now: options.now }),
  });
  return { notifier, bus, logs, sleeps };
}

function routed(
  f: FindingEnrichedV1 = finding(),
  targets = ['hook'],
  route = 'findings-high-risk',
): RoutedFinding {
  return { route, targets, eventId: `evt-${f.findingId}`, finding: f };
}

const published = (bus: InMemoryBus) =>
  bus.published.map((e) => [e['detail-type'], e.detail] as const);

describe('Function: Notifier', () => {
  let rx: HttpReceiver | undefined;
  afterEach(async () => rx?.close());

  const hookConfig = (url: string, extra: Record<string, unknown> = {}) => ({
    defaults: { maxAttempts: 3, backoffBaseMs: 100, allowAddresses: ['127.0.0.1'] },
    targets: {
      hook: { kind: 'webhook', url, signingSecret: { secretEnv: 'HOOK_SECRET' }, ...extra },
    },
  });

  it('retries a 500 with backoff, then publishes NotificationDelivered with attempts and response', async () => {
    // Prepare
    rx = await httpReceiver([{ status: 500 }, { status: 503 }, { status: 200 }]);
    const s = setup(hookConfig(`${rx.url}/h`), { HOOK_SECRET: 'x' });
    // Act
    const outcomes = await s.notifier.handle(routed());
    // Assess
    expect(outcomes).toEqual([
      { target: 'hook', status: 'delivered', attempts: 3, response: 'HTTP 200' },
    ]);
    expect(rx.requests).toHaveLength(3);
    expect(s.sleeps).toEqual([75, 150]);
    const [[type, detail]] = published(s.bus) as [[string, Record<string, unknown>]];
    expect(type).toBe('NotificationDelivered');
    expect(detail).toMatchObject({
      findingId: finding().findingId,
      target: { id: 'hook', kind: 'webhook' },
      route: 'findings-high-risk',
      attempts: 3,
      response: 'HTTP 200',
    });
  });

  it('publishes NotificationFailed after the last attempt, and at once for an error that is not retryable', async () => {
    // Prepare
    rx = await httpReceiver([{ status: 500 }]);
    const s = setup(
      {
        defaults: { maxAttempts: 2, backoffBaseMs: 10 },
        targets: {
          hook: { kind: 'webhook', url: `${rx.url}/h`, allowAddresses: ['127.0.0.1'] },
          unsafe: { kind: 'webhook', url: `${rx.url}/h` },
        },
      },
      {},
    );
    // Act
    const outcomes = await s.notifier.handle(routed(finding(), ['hook', 'unsafe', 'nowhere']));
    // Assess
    expect(outcomes).toEqual([
      { target: 'hook', status: 'failed', attempts: 2, code: 'http-500' },
      { target: 'unsafe', status: 'failed', attempts: 1, code: 'unsafe-address' },
      { target: 'nowhere', status: 'failed', attempts: 0, code: 'unknown-target' },
    ]);
    expect(rx.requests).toHaveLength(2);
    const failed = published(s.bus).map(([t, d]) => [
      t,
      (d as { target: { id: string }; error: { code: string; retryable: boolean } }).target.id,
      (d as { error: { code: string } }).error.code,
    ]);
    expect(failed.sort()).toEqual([
      ['NotificationFailed', 'hook', 'http-500'],
      ['NotificationFailed', 'nowhere', 'unknown-target'],
      ['NotificationFailed', 'unsafe', 'unsafe-address'],
    ]);
  });

  it('never sends the same finding twice on a route, even concurrently or after a restart', async () => {
    // Prepare
    rx = await httpReceiver();
    const path = join(await mkdtemp(join(tmpdir(), 'notify-store-')), 'sent.log');
    const config = hookConfig(`${rx.url}/h`, { suppressionSeconds: 0 });
    const first = setup(config, { HOOK_SECRET: 'x' }, { store: new SentStore(path) });
    // Act: the bus delivers the same finding twice at once, then again to a restarted service
    const [a, b] = await Promise.all([
      first.notifier.handle(routed()),
      first.notifier.handle(routed()),
    ]);
    const restarted = setup(config, { HOOK_SECRET: 'x' }, { store: new SentStore(path) });
    const c = await restarted.notifier.handle(routed());
    // Assess
    expect(rx.requests).toHaveLength(1);
    expect([a?.[0]?.status, b?.[0]?.status].sort()).toEqual(['delivered', 'duplicate']);
    expect(c).toEqual([{ target: 'hook', status: 'duplicate' }]);
    expect(first.notifier.stats).toMatchObject({ delivered: 1, duplicates: 1 });
  });

  it('publishes an outcome event the bus did not take when the finding is redelivered after a restart, without sending again', async () => {
    // Prepare: the bus refuses the outcome event (as when it, or notify, dies right after the send)
    rx = await httpReceiver();
    const path = join(await mkdtemp(join(tmpdir(), 'notify-store-')), 'sent.log');
    const config = hookConfig(`${rx.url}/h`, { suppressionSeconds: 0 });
    const down = new ContractPublisher({
      publish: async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:4010');
      },
    } as unknown as ConstructorParameters<typeof ContractPublisher>[0]);
    const first = setup(
      config,
      { HOOK_SECRET: 'x' },
      { store: new SentStore(path), publisher: down },
    );
    await expect(first.notifier.handle(routed())).rejects.toThrow(/ECONNREFUSED/);
    // Act: the bus redelivers the finding to a restarted notify, twice
    const restarted = setup(config, { HOOK_SECRET: 'x' }, { store: new SentStore(path) });
    const again = await restarted.notifier.handle(routed());
    const third = setup(config, { HOOK_SECRET: 'x' }, { store: new SentStore(path) });
    await third.notifier.handle(routed());
    // Assess: sent once; the outcome event published once, by the first redelivery
    expect(rx.requests).toHaveLength(1);
    expect(again).toEqual([{ target: 'hook', status: 'duplicate' }]);
    expect(published(restarted.bus)).toEqual([
      [
        'NotificationDelivered',
        expect.objectContaining({ findingId: finding().findingId, attempts: 1 }),
      ],
    ]);
    expect(published(third.bus)).toEqual([]);
  });

  it('sends one of two findings on the same entity, IP and route that arrive together', async () => {
    // Prepare: two findings of one incident (a score restart re-alerts a pair), delivered at once
    rx = await httpReceiver();
    const s = setup(hookConfig(`${rx.url}/h`, { suppressionSeconds: 600 }), { HOOK_SECRET: 'x' });
    const second = finding({ findingId: 'fnd-second-finding-same-incident' });
    // Act
    const [a, b] = await Promise.all([
      s.notifier.handle(routed()),
      s.notifier.handle(routed(second)),
    ]);
    // Assess: the first is sent, the second suppressed by the window the first opened
    expect(rx.requests).toHaveLength(1);
    expect([a?.[0]?.status, b?.[0]?.status]).toEqual(['delivered', 'suppressed']);
    expect(s.notifier.stats).toMatchObject({ delivered: 1, suppressed: 1 });
  });

  it('suppresses another finding on the same entity, IP and route within the window, and sends after it', async () => {
    // Prepare
    rx = await httpReceiver();
    let now = Date.parse('2026-11-28T15:00:00Z');
    const s = setup(
      hookConfig(`${rx.url}/h`, { suppressionSeconds: 600 }),
      { HOOK_SECRET: 'x' },
      { now: () => now },
    );
    const again = finding({ findingId: 'fnd-second-finding-same-incident' });
    const otherIp = finding({ findingId: 'fnd-third-finding-other-ip', ip: '203.0.113.77' });
    // Act
    await s.notifier.handle(routed());
    now += 60_000;
    const suppressed = await s.notifier.handle(routed(again));
    const other = await s.notifier.handle(routed(otherIp));
    const otherRoute = await s.notifier.handle(routed(again, ['hook'], 'findings-critical-oncall'));
    now += 600_000;
    const later = await s.notifier.handle(routed(again));
    // Assess
    expect(suppressed[0]?.status).toBe('suppressed');
    expect(other[0]?.status).toBe('delivered');
    expect(otherRoute[0]?.status).toBe('delivered');
    expect(later[0]?.status).toBe('delivered');
    expect(rx.requests).toHaveLength(4);
  });

  it('rate-limits per target: beyond the burst, sends wait for a token or fail rate-limited', async () => {
    // Prepare: 1 per minute, burst 1; a queue wait of 30 s cannot cover the 60 s a token takes
    rx = await httpReceiver();
    const s = setup(
      hookConfig(`${rx.url}/h`, {
        ratePerMinute: 1,
        burst: 1,
        maxQueueMs: 30_000,
        suppressionSeconds: 0,
      }),
      { HOOK_SECRET: 'x' },
      { now: () => 0 },
    );
    // Act
    const one = await s.notifier.handle(routed());
    const two = await s.notifier.handle(
      routed(finding({ findingId: 'fnd-another-one-over-rate' })),
    );
    // Assess
    expect(one[0]?.status).toBe('delivered');
    expect(two[0]).toEqual({ target: 'hook', status: 'failed', attempts: 0, code: 'rate-limited' });
    expect(rx.requests).toHaveLength(1);
  });

  it('never logs a secret (signing secret, Slack URL), even when deliveries fail', async () => {
    // Prepare
    rx = await httpReceiver([{ status: 500, body: 'boom' }]);
    const slackUrl = `${rx.url}/services/T0/B0/very-secret-slack-token`;
    const s = setup(
      {
        defaults: { maxAttempts: 2, allowAddresses: ['127.0.0.1'] },
        targets: {
          hook: {
            kind: 'webhook',
            url: `${rx.url}/h`,
            signingSecret: { secretEnv: 'HOOK_SECRET' },
          },
          slack: { kind: 'slack', url: { secretEnv: 'SLACK_URL' } },
        },
      },
      { HOOK_SECRET: 'hmac-secret-never-logged', SLACK_URL: slackUrl },
    );
    // Act
    await s.notifier.handle(routed(finding(), ['hook', 'slack']));
    // Assess
    const all = s.logs.join('') + JSON.stringify(s.bus.published);
    expect(s.logs.length).toBeGreaterThan(3);
    expect(all).not.toContain('hmac-secret-never-logged');
    expect(all).not.toContain('very-secret-slack-token');
  });
});
