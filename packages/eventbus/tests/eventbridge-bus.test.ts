import {
  EventBridgeClient,
  PutEventsCommand,
  type PutEventsCommandInput,
  type PutEventsResultEntry,
} from '@aws-sdk/client-eventbridge';
import type { PutEventsEntry } from '@lakewatch/contracts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBridgeBus, putEventsEntrySize } from '../src/index.js';

const ebMock = mockClient(EventBridgeClient);
afterEach(() => ebMock.reset());

const entry = (n: number, detailBytes = 20): PutEventsEntry => ({
  Source: 'lakewatch.test',
  DetailType: 'Thing',
  Detail: JSON.stringify({ n, pad: 'x'.repeat(Math.max(0, detailBytes - 20)) }),
});

const okFor = (
  input: PutEventsCommandInput,
): { Entries: PutEventsResultEntry[]; FailedEntryCount: number } => ({
  FailedEntryCount: 0,
  Entries: (input.Entries ?? []).map((e) => ({ EventId: `id-${JSON.parse(e.Detail ?? '{}').n}` })),
});

const noSleep = { sleep: async () => {}, random: () => 0.5 };
const sentBatches = (): PutEventsCommandInput[] =>
  ebMock.commandCalls(PutEventsCommand).map((c) => c.args[0].input);

describe('Function: putEventsEntrySize', () => {
  it('counts Time as 14 bytes and Source, DetailType, Detail, Resources as UTF-8 bytes', () => {
    // Prepare
    const e: PutEventsEntry = {
      Source: 'src',
      DetailType: 'ÄB',
      Detail: '{"a":"€"}',
      Resources: ['arn:1', 'arn:22'],
      Time: new Date(),
      EventBusName: 'not-counted',
    };
    // Act & Assess: 14 + 3 + 3 + 11 + 5 + 6
    expect(putEventsEntrySize(e)).toBe(42);
    expect(putEventsEntrySize({ Source: 'a', DetailType: 'b', Detail: '{}' })).toBe(4);
  });
});

describe('Class: EventBridgeBus', () => {
  it('sends entries in calls of at most 10, in order, with the default bus name filled in', async () => {
    // Prepare
    ebMock.on(PutEventsCommand).callsFake(okFor);
    const bus = new EventBridgeBus({
      client: new EventBridgeClient({}),
      eventBusName: 'lakewatch',
      ...noSleep,
    });
    const entries = Array.from({ length: 23 }, (_, i) => entry(i));
    entries[5] = { ...(entries[5] as PutEventsEntry), EventBusName: 'other' };
    // Act
    const result = await bus.publish(entries);
    // Assess
    const calls = sentBatches();
    expect(calls.map((c) => c.Entries?.length)).toEqual([10, 10, 3]);
    expect(calls.flatMap((c) => c.Entries ?? []).map((e) => JSON.parse(e.Detail ?? '').n)).toEqual(
      entries.map((_, i) => i),
    );
    expect(calls[0]?.Entries?.[0]).toMatchObject({
      Source: 'lakewatch.test',
      DetailType: 'Thing',
      EventBusName: 'lakewatch',
    });
    expect(calls[0]?.Entries?.[5]?.EventBusName).toBe('other');
    expect(result.failedCount).toBe(0);
    expect(result.entries.map((r) => (r.ok ? r.eventId : r.errorCode))).toEqual(
      entries.map((_, i) => `id-${i}`),
    );
  });

  it('keeps every call under 256 KiB as AWS sizes entries', async () => {
    // Prepare: 100 KB entries fit two to a call
    ebMock.on(PutEventsCommand).callsFake(okFor);
    const bus = new EventBridgeBus({ client: new EventBridgeClient({}), ...noSleep });
    const entries = Array.from({ length: 5 }, (_, i) => entry(i, 100_000));
    // Act
    const result = await bus.publish(entries);
    // Assess
    const calls = sentBatches();
    expect(calls.map((c) => c.Entries?.length)).toEqual([2, 2, 1]);
    for (const c of calls) {
      const bytes = (c.Entries ?? []).reduce(
        (s, e) => s + putEventsEntrySize(e as PutEventsEntry),
        0,
      );
      expect(bytes).toBeLessThanOrEqual(262_144);
    }
    expect(result.failedCount).toBe(0);
  });

  it('reports an entry too large on its own as failed without sending it', async () => {
    // Prepare
    ebMock.on(PutEventsCommand).callsFake(okFor);
    const bus = new EventBridgeBus({ client: new EventBridgeClient({}), ...noSleep });
    // Act
    const result = await bus.publish([entry(0), entry(1, 300_000), entry(2)]);
    // Assess
    expect(
      sentBatches()
        .flatMap((c) => c.Entries ?? [])
        .map((e) => JSON.parse(e.Detail ?? '').n),
    ).toEqual([0, 2]);
    expect(result.failedCount).toBe(1);
    expect(result.entries[1]).toMatchObject({
      ok: false,
      errorCode: 'ValidationException',
      attempts: 0,
    });
    expect(result.entries[2]).toMatchObject({ ok: true, eventId: 'id-2' });
  });

  it('retries only the entries that failed with a transient code, with backoff', async () => {
    // Prepare: first call throttles entry 1 and fails entry 2 for good; the retry succeeds
    ebMock
      .on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 2,
        Entries: [
          { EventId: 'id-0' },
          { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' },
          { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
          { ErrorCode: 'InternalFailure', ErrorMessage: 'oops' },
        ],
      })
      .callsFake(okFor);
    const delays: number[] = [];
    const bus = new EventBridgeBus({
      client: new EventBridgeClient({}),
      baseDelayMs: 200,
      random: () => 0.5,
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
    // Act
    const result = await bus.publish([entry(0), entry(1), entry(2), entry(3)]);
    // Assess
    const calls = sentBatches();
    expect(calls).toHaveLength(2);
    expect(calls[1]?.Entries?.map((e) => JSON.parse(e.Detail ?? '').n)).toEqual([1, 3]);
    expect(delays).toEqual([100]);
    expect(result.entries[0]).toMatchObject({ ok: true, eventId: 'id-0', attempts: 1 });
    expect(result.entries[1]).toMatchObject({ ok: true, eventId: 'id-1', attempts: 2 });
    expect(result.entries[2]).toMatchObject({
      ok: false,
      errorCode: 'MalformedDetail',
      attempts: 1,
    });
    expect(result.entries[3]).toMatchObject({ ok: true, eventId: 'id-3', attempts: 2 });
    expect(result.failedCount).toBe(1);
  });

  it('gives up after maxAttempts with exponential backoff, reporting the last error', async () => {
    // Prepare
    ebMock.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' }],
    });
    const delays: number[] = [];
    const bus = new EventBridgeBus({
      client: new EventBridgeClient({}),
      maxAttempts: 4,
      baseDelayMs: 100,
      maxDelayMs: 300,
      random: () => 0.999,
      sleep: async (ms) => {
        delays.push(Math.round(ms));
      },
    });
    // Act
    const result = await bus.publish([entry(0)]);
    // Assess
    expect(sentBatches()).toHaveLength(4);
    expect(delays).toEqual([100, 200, 300]);
    expect(result.entries[0]).toEqual({
      ok: false,
      errorCode: 'ThrottlingException',
      errorMessage: 'Rate exceeded',
      attempts: 4,
    });
  });

  it('retries a whole call that failed transiently and fails a call rejected for good', async () => {
    // Prepare
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 400 },
    });
    ebMock.on(PutEventsCommand).rejectsOnce(throttled).callsFake(okFor);
    const bus = new EventBridgeBus({ client: new EventBridgeClient({}), ...noSleep });
    // Act
    const ok = await bus.publish([entry(0), entry(1)]);
    ebMock.reset();
    const denied = Object.assign(new Error('not allowed'), {
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 400 },
    });
    ebMock.on(PutEventsCommand).rejects(denied);
    const failed = await bus.publish([entry(0), entry(1)]);
    // Assess
    expect(ok.failedCount).toBe(0);
    expect(ok.entries.map((r) => r.attempts)).toEqual([2, 2]);
    expect(sentBatches()).toHaveLength(1);
    expect(failed.entries).toEqual([
      { ok: false, errorCode: 'AccessDeniedException', errorMessage: 'not allowed', attempts: 1 },
      { ok: false, errorCode: 'AccessDeniedException', errorMessage: 'not allowed', attempts: 1 },
    ]);
  });

  it('keeps at most `concurrency` calls in flight', async () => {
    // Prepare
    let inFlight = 0;
    let most = 0;
    ebMock.on(PutEventsCommand).callsFake(async (input: PutEventsCommandInput) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return okFor(input);
    });
    const bus = new EventBridgeBus({
      client: new EventBridgeClient({}),
      concurrency: 2,
      ...noSleep,
    });
    // Act
    const result = await bus.publish(Array.from({ length: 60 }, (_, i) => entry(i)));
    // Assess
    expect(sentBatches()).toHaveLength(6);
    expect(most).toBe(2);
    expect(result.failedCount).toBe(0);
  });

  it('retries entries a short answer left out', async () => {
    // Prepare: the first answer covers only the first entry
    ebMock
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 0, Entries: [{ EventId: 'id-0' }] })
      .callsFake(okFor);
    const bus = new EventBridgeBus({ client: new EventBridgeClient({}), ...noSleep });
    // Act
    const result = await bus.publish([entry(0), entry(1)]);
    // Assess
    expect(sentBatches()[1]?.Entries?.map((e) => JSON.parse(e.Detail ?? '').n)).toEqual([1]);
    expect(result.entries.map((r) => r.ok && r.eventId)).toEqual(['id-0', 'id-1']);
  });

  it('publishes nothing for no entries', async () => {
    const bus = new EventBridgeBus({ client: new EventBridgeClient({}), ...noSleep });
    await expect(bus.publish([])).resolves.toEqual({ entries: [], failedCount: 0 });
    expect(sentBatches()).toHaveLength(0);
  });
});
