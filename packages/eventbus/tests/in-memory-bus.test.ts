import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildPutEventsEntry, type PutEventsEntry, rulePattern } from '@lakewatch/contracts';
import { describe, expect, it } from 'vitest';
import { type BusEvent, HandlerFailedError, InMemoryBus } from '../src/index.js';

const contractsDir = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'contracts',
  'events',
  'lakewatch.enrich',
);

const entry = (
  source: string,
  detail: object,
  extra: Partial<PutEventsEntry> = {},
): PutEventsEntry => ({
  Source: source,
  DetailType: 'Thing',
  Detail: JSON.stringify(detail),
  ...extra,
});

describe('Class: InMemoryBus', () => {
  it('routes matching events to handlers with the EventBridge envelope', async () => {
    // Prepare
    let n = 0;
    const bus = new InMemoryBus({
      newId: () => `id-${n++}`,
      account: '111122223333',
      region: 'eu-west-1',
    });
    const high: BusEvent[] = [];
    const all: BusEvent[] = [];
    bus.subscribe({
      name: 'high',
      eventPattern: { detail: { risk: [{ numeric: ['>=', 70] }] } },
      handler: (e) => void high.push(e),
    });
    bus.subscribe({
      name: 'all',
      eventPattern: '{"source": [{"prefix": "lakewatch."}]}',
      handler: (e) => void all.push(e),
    });
    // Act
    const result = await bus.publish([
      entry(
        'lakewatch.enrich',
        { risk: 90 },
        { Resources: ['arn:x'], Time: new Date('2026-01-02T03:04:05.678Z') },
      ),
      entry('lakewatch.enrich', { risk: 10 }),
      entry('other', { risk: 99 }),
    ]);
    // Assess
    expect(result.failedCount).toBe(0);
    expect(result.entries.map((r) => r.ok && r.eventId)).toEqual(['id-0', 'id-1', 'id-2']);
    expect(high.map((e) => e.id)).toEqual(['id-0', 'id-2']);
    expect(all.map((e) => e.id)).toEqual(['id-0', 'id-1']);
    expect(high[0]).toEqual({
      version: '0',
      id: 'id-0',
      'detail-type': 'Thing',
      source: 'lakewatch.enrich',
      account: '111122223333',
      time: '2026-01-02T03:04:05Z',
      region: 'eu-west-1',
      resources: ['arn:x'],
      detail: { risk: 90 },
    });
    expect(bus.published).toHaveLength(3);
  });

  it('delivers contract entries to a rule built with rulePattern', async () => {
    // Prepare: a real FindingEnriched example, routed by risk score
    const example = JSON.parse(
      readFileSync(
        join(contractsDir, 'FindingEnriched/v1/examples/scanner-guardduty.json'),
        'utf8',
      ),
    );
    const bus = new InMemoryBus();
    const got: BusEvent[] = [];
    const score = example.risk.score as number;
    bus.subscribe({
      name: 'high-risk',
      eventPattern: rulePattern('FindingEnriched', 1, {
        risk: { score: [{ numeric: ['>=', score] }] },
      }),
      handler: (e) => void got.push(e),
    });
    bus.subscribe({
      name: 'higher',
      eventPattern: rulePattern('FindingEnriched', 1, {
        risk: { score: [{ numeric: ['>', score] }] },
      }),
      handler: () => {
        throw new Error('must not match');
      },
    });
    // Act
    await bus.publish([buildPutEventsEntry('FindingEnriched', example)]);
    // Assess
    expect(got).toHaveLength(1);
    expect(got[0]?.source).toBe('lakewatch.enrich');
    expect(got[0]?.detail).toEqual(example);
  });

  it('rejects bad entries per entry, as PutEvents does, and keeps the rest', async () => {
    // Prepare
    const bus = new InMemoryBus();
    // Act
    const result = await bus.publish([
      entry('a', { ok: 1 }),
      { Source: 'a', DetailType: 'Thing', Detail: '[1,2]' },
      { Source: '', DetailType: 'Thing', Detail: '{}' },
      entry('a', { pad: 'x'.repeat(300_000) }),
    ]);
    // Assess
    expect(result.failedCount).toBe(3);
    expect(result.entries[0]?.ok).toBe(true);
    expect(result.entries[1]).toMatchObject({
      ok: false,
      errorCode: 'MalformedDetail',
      errorMessage: 'Detail is malformed.',
    });
    expect(result.entries[2]).toMatchObject({ ok: false, errorCode: 'InvalidArgument' });
    expect(result.entries[3]).toMatchObject({ ok: false, errorCode: 'ValidationException' });
    expect(bus.published).toHaveLength(1);
  });

  it('only routes to rules of the entry’s bus, and stops routing after unsubscribe', async () => {
    // Prepare
    const bus = new InMemoryBus();
    const seen: string[] = [];
    const off = bus.subscribe({
      name: 'r',
      eventPattern: { source: ['a'] },
      handler: (e) => void seen.push(e.id),
    });
    bus.subscribe({
      name: 'other-bus',
      eventBusName: 'custom',
      eventPattern: { source: ['a'] },
      handler: () => void seen.push('custom'),
    });
    // Act
    await bus.publish([entry('a', {})]);
    await bus.publish([
      entry('a', {}, { EventBusName: 'arn:aws:events:us-east-1:123456789012:event-bus/custom' }),
    ]);
    off();
    await bus.publish([entry('a', {})]);
    // Assess
    expect(seen).toHaveLength(2);
    expect(seen[1]).toBe('custom');
  });

  it('reports a failing handler after delivering to the others', async () => {
    // Prepare
    const bus = new InMemoryBus();
    const delivered: string[] = [];
    bus.subscribe({
      name: 'bad',
      eventPattern: { source: ['a'] },
      handler: () => {
        throw new Error('boom');
      },
    });
    bus.subscribe({
      name: 'good',
      eventPattern: { source: ['a'] },
      handler: (e) => void delivered.push(e.id),
    });
    // Act
    const publishing = bus.publish([entry('a', {})]);
    // Assess
    await expect(publishing).rejects.toThrow(HandlerFailedError);
    await expect(publishing).rejects.toThrow(/rule 'bad'.*boom/);
    expect(delivered).toHaveLength(1);
    expect(bus.failures).toHaveLength(1);
    const recording = new InMemoryBus({ onHandlerError: 'record' });
    recording.subscribe({
      name: 'bad',
      eventPattern: { source: ['a'] },
      handler: () => {
        throw new Error('boom');
      },
    });
    await expect(recording.publish([entry('a', {})])).resolves.toMatchObject({ failedCount: 0 });
    expect(recording.failures[0]?.rule).toBe('bad');
    recording.clear();
    expect(recording.failures).toHaveLength(0);
    expect(recording.published).toHaveLength(0);
  });

  it('lets a handler publish follow-up events, as chained services do', async () => {
    // Prepare: score → enrich → notify, each a rule whose handler publishes the next event
    const bus = new InMemoryBus();
    const notified: BusEvent[] = [];
    bus.subscribe({
      name: 'enrich',
      eventPattern: { source: ['score'] },
      handler: async (e) => {
        await bus.publish([entry('enrich', { from: e.id, risk: 80 })]);
      },
    });
    bus.subscribe({
      name: 'notify',
      eventPattern: { source: ['enrich'], detail: { risk: [{ numeric: ['>=', 70] }] } },
      handler: (e) => void notified.push(e),
    });
    // Act
    const result = await bus.publish([entry('score', { pair: 1 }), entry('score', { pair: 2 })]);
    // Assess
    expect(result.failedCount).toBe(0);
    expect(notified.map((e) => e.detail.from)).toEqual(
      result.entries.map((r) => r.ok && r.eventId),
    );
    expect(bus.published.map((e) => e.source)).toEqual(['score', 'enrich', 'score', 'enrich']);
  });

  it('refuses an invalid pattern when the rule is added', () => {
    const bus = new InMemoryBus();
    expect(() =>
      bus.subscribe({ name: 'x', eventPattern: { source: 'a' }, handler: () => {} }),
    ).toThrow(
      expect.objectContaining({
        name: 'InvalidEventPatternError',
        message: 'Event pattern is not valid. Reason: "source" must be an object or an array',
        path: 'source',
      }),
    );
  });
});
