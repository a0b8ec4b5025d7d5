import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CancelReplayCommand,
  CreateArchiveCommand,
  DeleteArchiveCommand,
  DescribeArchiveCommand,
  DescribeReplayCommand,
  ListArchivesCommand,
  ListReplaysCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  StartReplayCommand,
} from '@aws-sdk/client-eventbridge';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startLocalBus } from '../src/index.js';
import {
  eventually,
  type Harness,
  sdkClient,
  startHarness,
  startTarget,
  type TestTarget,
} from './helpers.js';

const BUS_ARN = 'arn:aws:events:us-east-1:000000000000:event-bus/default';

describe('Function: archives and replay', () => {
  let h: Harness;
  let t1: TestTarget;
  let t2: TestTarget;
  beforeEach(async () => {
    h = await startHarness();
    t1 = await startTarget();
    t2 = await startTarget();
    for (const [name, t] of [
      ['r1', t1],
      ['r2', t2],
    ] as const) {
      await h.client.send(
        new PutRuleCommand({
          Name: name,
          EventPattern: JSON.stringify({ source: ['lakewatch.score'] }),
        }),
      );
      await h.client.send(
        new PutTargetsCommand({ Rule: name, Targets: [{ Id: 't', Arn: t.url }] }),
      );
    }
  });
  afterEach(async () => {
    await h.close();
    await t1.close();
    await t2.close();
  });

  it('archives matching events and replays a time window to the chosen rules with replay-name', async () => {
    // Prepare
    const archive = await h.client.send(
      new CreateArchiveCommand({
        ArchiveName: 'scores',
        EventSourceArn: BUS_ARN,
        EventPattern: JSON.stringify({ source: ['lakewatch.score'] }),
        RetentionDays: 7,
      }),
    );
    const now = Date.now();
    await h.client.send(
      new PutEventsCommand({
        Entries: [
          {
            Source: 'lakewatch.score',
            DetailType: 'A',
            Detail: '{"n":"old"}',
            Time: new Date(now - 3_600_000),
          },
          {
            Source: 'lakewatch.score',
            DetailType: 'A',
            Detail: '{"n":"recent"}',
            Time: new Date(now - 5_000),
          },
          { Source: 'lakewatch.ingest', DetailType: 'B', Detail: '{"n":"not archived"}' },
        ],
      }),
    );
    await t1.waitFor(2);
    const before = await h.client.send(new DescribeArchiveCommand({ ArchiveName: 'scores' }));

    // Act
    const started = await h.client.send(
      new StartReplayCommand({
        ReplayName: 'backtest-1',
        EventSourceArn: archive.ArchiveArn,
        EventStartTime: new Date(now - 60_000),
        EventEndTime: new Date(),
        Destination: {
          Arn: BUS_ARN,
          FilterArns: ['arn:aws:events:us-east-1:000000000000:rule/r1'],
        },
      }),
    );
    const done = await eventually(async () => {
      const d = await h.client.send(new DescribeReplayCommand({ ReplayName: 'backtest-1' }));
      return d.State === 'COMPLETED' ? d : undefined;
    });

    // Assess
    expect(archive.State).toBe('ENABLED');
    expect(before).toMatchObject({
      ArchiveName: 'scores',
      EventCount: 2,
      RetentionDays: 7,
      State: 'ENABLED',
      EventSourceArn: BUS_ARN,
    });
    expect(before.SizeBytes).toBeGreaterThan(0);
    expect(started.State).toBe('STARTING');
    expect(done.ReplayArn).toBe('arn:aws:events:us-east-1:000000000000:replay/backtest-1');
    expect(done.Destination?.FilterArns).toEqual(['arn:aws:events:us-east-1:000000000000:rule/r1']);
    expect(done.ReplayEndTime).toBeInstanceOf(Date);
    const got = await t1.waitFor(3);
    const replayed = got.map((r) => JSON.parse(r.body)).filter((e) => e['replay-name']);
    expect(replayed).toHaveLength(1);
    expect(replayed[0]).toMatchObject({ 'replay-name': 'backtest-1', detail: { n: 'recent' } });
    await new Promise((r) => setTimeout(r, 150));
    expect(t2.received).toHaveLength(2);
    expect(t2.received.every((r) => !JSON.parse(r.body)['replay-name'])).toBe(true);
    const after = await h.client.send(new DescribeArchiveCommand({ ArchiveName: 'scores' }));
    expect(after.EventCount).toBe(2);
    await expect(
      h.client.send(new CancelReplayCommand({ ReplayName: 'backtest-1' })),
    ).rejects.toMatchObject({ name: 'IllegalStatusException' });
    const replays = await h.client.send(new ListReplaysCommand({ State: 'COMPLETED' }));
    expect(replays.Replays?.map((r) => r.ReplayName)).toEqual(['backtest-1']);
  });

  it('keeps archives across restarts, lists and deletes them, and validates replays', async () => {
    await h.client.send(new CreateArchiveCommand({ ArchiveName: 'all', EventSourceArn: BUS_ARN }));
    await expect(
      h.client.send(new CreateArchiveCommand({ ArchiveName: 'all', EventSourceArn: BUS_ARN })),
    ).rejects.toMatchObject({ name: 'ResourceAlreadyExistsException' });
    await h.client.send(
      new PutEventsCommand({ Entries: [{ Source: 'x', DetailType: 'y', Detail: '{}' }] }),
    );
    await h.restart();
    const listed = await h.client.send(new ListArchivesCommand({}));
    expect(listed.Archives?.map((a) => [a.ArchiveName, a.EventCount])).toEqual([['all', 1]]);
    const archiveArn = 'arn:aws:events:us-east-1:000000000000:archive/all';
    await expect(
      h.client.send(
        new StartReplayCommand({
          ReplayName: 'bad',
          EventSourceArn: archiveArn,
          EventStartTime: new Date(),
          EventEndTime: new Date(Date.now() - 1000),
          Destination: { Arn: BUS_ARN },
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await h.client.send(new DeleteArchiveCommand({ ArchiveName: 'all' }));
    await expect(
      h.client.send(new DescribeArchiveCommand({ ArchiveName: 'all' })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Archive all does not exist.',
    });
  });

  it('cancels a running replay (CANCELLING → CANCELLED) and trims archives to their retention', async () => {
    // Prepare: an archive big enough that its replay takes many durable batches
    await h.client.send(
      new CreateArchiveCommand({ ArchiveName: 'big', EventSourceArn: BUS_ARN, RetentionDays: 1 }),
    );
    const start = new Date(Date.now() - 60_000);
    for (let i = 0; i < 300; i++)
      await h.client.send(
        new PutEventsCommand({
          Entries: Array.from({ length: 10 }, () => ({
            Source: 'bulk',
            DetailType: 'B',
            Detail: '{}',
          })),
        }),
      );

    // Act
    await h.client.send(
      new StartReplayCommand({
        ReplayName: 'long',
        EventSourceArn: 'arn:aws:events:us-east-1:000000000000:archive/big',
        EventStartTime: start,
        EventEndTime: new Date(),
        Destination: { Arn: BUS_ARN },
      }),
    );
    const cancelling = await h.client.send(new CancelReplayCommand({ ReplayName: 'long' }));
    const final = await eventually(async () => {
      const d = await h.client.send(new DescribeReplayCommand({ ReplayName: 'long' }));
      return d.State === 'CANCELLED' || d.State === 'COMPLETED' ? d : undefined;
    });
    await h.bus.engine.trimArchives(Date.now() + 2 * 86_400_000);
    const trimmed = await h.client.send(new DescribeArchiveCommand({ ArchiveName: 'big' }));

    // Assess
    expect(cancelling.State).toBe('CANCELLING');
    expect(final.State).toBe('CANCELLED');
    expect(trimmed.EventCount).toBe(0);
  });

  it('ends a replay the bus was running when it stopped as FAILED, with the reason', async () => {
    // Prepare: a replay recorded as RUNNING, as a crash mid-replay leaves it
    await h.client.send(new CreateArchiveCommand({ ArchiveName: 'a', EventSourceArn: BUS_ARN }));
    await h.bus.close();
    const file = join(h.dataDir, 'control.json');
    const state = JSON.parse(readFileSync(file, 'utf8'));
    state.replays.push({
      name: 'cut',
      archive: 'a',
      destinationBus: 'default',
      filterRules: [],
      eventStartTime: 0,
      eventEndTime: 1000,
      state: 'RUNNING',
      replayStartTime: Date.now(),
    });
    writeFileSync(file, JSON.stringify(state));

    // Act
    h.bus = await startLocalBus({ dataDir: h.dataDir, port: 0, log: () => {} });
    const client = sdkClient(h.bus.url);
    const replay = await client.send(new DescribeReplayCommand({ ReplayName: 'cut' }));
    client.destroy();

    // Assess
    expect(replay).toMatchObject({
      State: 'FAILED',
      StateReason: 'The local bus restarted during the replay.',
    });
  });
});
