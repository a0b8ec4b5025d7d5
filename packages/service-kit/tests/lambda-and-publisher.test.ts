import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnomalyDetectedV1 } from '@lakewatch/contracts';
import { type BusEvent, type EventBus, InMemoryBus } from '@lakewatch/eventbus';
import { describe, expect, it } from 'vitest';
import {
  ContractPublisher,
  eventBridgeHandler,
  PublishError,
  sqsBatchHandler,
} from '../src/index.js';

const EVENT = JSON.parse(
  readFileSync(join(import.meta.dirname, 'fixtures/anomaly-detected-event.json'), 'utf8'),
);

describe('Function: sqsBatchHandler', () => {
  it('reports only the failed messages for redelivery', async () => {
    const handler = sqsBatchHandler(async (body) => {
      if (body.includes('bad')) throw new Error('unreadable object');
    });
    const out = await handler({
      Records: [
        { messageId: 'm1', body: '{"ok":1}' },
        { messageId: 'm2', body: '{"bad":1}' },
        { messageId: 'm3', body: '{"ok":2}' },
      ],
    });
    expect(out).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
  });
});

describe('Function: eventBridgeHandler', () => {
  it('validates, dedupes on the event id, and throws on an off-contract event', async () => {
    let calls = 0;
    const handler = eventBridgeHandler(['AnomalyDetected'], async () => {
      calls += 1;
    });
    await handler(EVENT);
    await handler(structuredClone(EVENT));
    expect(calls).toBe(1);
    await expect(
      handler({ ...EVENT, id: 'other', detail: { ...EVENT.detail, threshold: 'x' } }),
    ).rejects.toThrow('/detail/threshold must be number');
  });
});

describe('Class: ContractPublisher', () => {
  it('publishes validated details and returns the event ids', async () => {
    const bus = new InMemoryBus();
    const got: BusEvent[] = [];
    bus.subscribe({
      name: 'all',
      eventPattern: { source: ['lakewatch.score'] },
      handler: (e) => void got.push(e),
    });
    const ids = await new ContractPublisher(bus).publish([
      { detailType: 'AnomalyDetected', detail: EVENT.detail as AnomalyDetectedV1 },
    ]);
    expect(ids).toHaveLength(1);
    expect(got[0]?.detail).toEqual(EVENT.detail);
  });

  it('refuses an off-contract detail before it reaches the bus', async () => {
    let sent = 0;
    const bus: EventBus = {
      publish: async (entries) => {
        sent += entries.length;
        return { entries: [], failedCount: 0 };
      },
    };
    const detail = { ...EVENT.detail, anomalyScore: 7 } as AnomalyDetectedV1;
    await expect(
      new ContractPublisher(bus).publish([{ detailType: 'AnomalyDetected', detail }]),
    ).rejects.toThrow(/anomalyScore must be <= 1/);
    expect(sent).toBe(0);
  });

  it('throws PublishError naming entries the bus failed for good', async () => {
    const bus: EventBus = {
      publish: async (entries) => ({
        entries: entries.map(() => ({
          ok: false as const,
          errorCode: 'ThrottlingException',
          errorMessage: 'Rate exceeded',
          attempts: 5,
        })),
        failedCount: entries.length,
      }),
    };
    const publish = new ContractPublisher(bus).publish([
      { detailType: 'AnomalyDetected', detail: EVENT.detail },
    ]);
    await expect(publish).rejects.toBeInstanceOf(PublishError);
    await expect(publish).rejects.toThrow(
      '1 event(s) not published: AnomalyDetected ThrottlingException: Rate exceeded',
    );
  });
});
