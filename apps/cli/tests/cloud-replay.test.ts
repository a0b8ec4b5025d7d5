import {
  DescribeArchiveCommand,
  DescribeReplayCommand,
  EventBridgeClient,
  StartReplayCommand,
} from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ruleArn } from '../src/cloud/replay.js';
import { runCli } from './helpers.js';

// Amazon EventBridge's archives and replays, mocked at the SDK level (the local bus's own
// replay is exercised against the real local bus in cloud-replay-local.test.ts).
const eb = mockClient(EventBridgeClient);
beforeEach(() => eb.reset());
afterAll(() => eb.restore());

const ACCOUNT = 'arn:aws:events:eu-central-1:123456789012';
const ARCHIVE = `${ACCOUNT}:archive/lakewatch-all`;
const BUS = `${ACCOUNT}:event-bus/lakewatch`;

function archiveExists() {
  eb.on(DescribeArchiveCommand).resolves({
    ArchiveName: 'lakewatch-all',
    ArchiveArn: ARCHIVE,
    EventSourceArn: BUS,
    State: 'ENABLED',
  });
}

function replay(...extra: string[]) {
  return runCli(
    'replay',
    '--aws',
    '--region',
    'eu-central-1',
    '--from',
    '2024-05-01T00:00:00Z',
    '--to',
    '2024-05-01T06:00:00Z',
    '--name',
    'lw-replay-1',
    '--poll-interval',
    '0.01',
    ...extra,
  );
}

describe('Command: lakewatch replay --aws', () => {
  it('starts a replay of the archive window to chosen rules and waits until COMPLETED', async () => {
    // Prepare
    archiveExists();
    eb.on(StartReplayCommand).resolves({
      ReplayArn: `${ACCOUNT}:replay/lw-replay-1`,
      State: 'STARTING',
    });
    eb.on(DescribeReplayCommand)
      .resolvesOnce({ State: 'STARTING' })
      .resolvesOnce({ State: 'RUNNING', EventLastReplayedTime: new Date('2024-05-01T03:00:00Z') })
      .resolves({ State: 'COMPLETED', EventLastReplayedTime: new Date('2024-05-01T06:00:00Z') });

    // Act
    const r = await replay(
      '--archive',
      ARCHIVE,
      '--rules',
      `score-pairs, ${ACCOUNT}:rule/lakewatch/notify`,
    );

    // Assess
    expect(r.err).not.toContain('lakewatch:');
    expect(r.code).toBe(0);
    expect(eb.commandCalls(DescribeArchiveCommand)[0]?.args[0].input).toEqual({
      ArchiveName: 'lakewatch-all',
    });
    expect(eb.commandCalls(StartReplayCommand)[0]?.args[0].input).toEqual({
      ReplayName: 'lw-replay-1',
      Description: 'lakewatch replay of lakewatch-all',
      EventSourceArn: ARCHIVE,
      EventStartTime: new Date('2024-05-01T00:00:00Z'),
      EventEndTime: new Date('2024-05-01T06:00:00Z'),
      Destination: {
        Arn: BUS,
        FilterArns: [`${ACCOUNT}:rule/lakewatch/score-pairs`, `${ACCOUNT}:rule/lakewatch/notify`],
      },
    });
    expect(eb.commandCalls(DescribeReplayCommand)[0]?.args[0].input).toEqual({
      ReplayName: 'lw-replay-1',
    });
    expect(r.err).toMatch(/replay: RUNNING 50% \(\d+s\)/);
    expect(r.err).toMatch(/replay: COMPLETED 100% \(\d+s\)/);
    expect(JSON.parse(r.out)).toEqual({
      replay: 'lw-replay-1',
      arn: `${ACCOUNT}:replay/lw-replay-1`,
      archive: ARCHIVE,
      destination: BUS,
      filter_arns: [`${ACCOUNT}:rule/lakewatch/score-pairs`, `${ACCOUNT}:rule/lakewatch/notify`],
      state: 'COMPLETED',
      from: '2024-05-01T00:00:00.000Z',
      to: '2024-05-01T06:00:00.000Z',
      last_replayed: '2024-05-01T06:00:00.000Z',
    });
  });

  it('takes an archive name, a destination bus name and no rule filter', async () => {
    archiveExists();
    eb.on(StartReplayCommand).resolves({ State: 'STARTING' });

    const r = await replay('--archive', 'lakewatch-all', '--bus', 'lakewatch', '--no-wait');

    expect(r.code).toBe(0);
    const input = eb.commandCalls(StartReplayCommand)[0]?.args[0].input;
    expect(input?.Destination).toEqual({ Arn: BUS });
    expect(eb.commandCalls(DescribeReplayCommand)).toHaveLength(0);
    expect(JSON.parse(r.out)).toMatchObject({ state: 'STARTING', filter_arns: [] });
  });

  it.each([
    [
      'FAILED',
      'lakewatch: replay lw-replay-1 failed: Destination event bus lakewatch is not the source of the archive',
    ],
    ['CANCELLED', 'lakewatch: replay lw-replay-1 cancelled: Replay was cancelled by a user'],
  ])('surfaces a %s replay with its StateReason and exits 1', async (state, message) => {
    archiveExists();
    eb.on(StartReplayCommand).resolves({ State: 'STARTING' });
    eb.on(DescribeReplayCommand).resolves({
      State: state as 'FAILED',
      StateReason:
        state === 'FAILED'
          ? 'Destination event bus lakewatch is not the source of the archive'
          : 'Replay was cancelled by a user',
    });
    const r = await replay('--archive', 'lakewatch-all');
    expect(r.code).toBe(1);
    expect(r.err).toContain(message);
  });

  it('names a missing archive', async () => {
    eb.on(DescribeArchiveCommand).rejects(
      Object.assign(new Error('Archive nope does not exist.'), {
        name: 'ResourceNotFoundException',
      }),
    );
    const r = await replay('--archive', 'nope');
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'lakewatch: eventbridge DescribeArchive nope: ResourceNotFoundException: Archive nope does not exist.',
    );
    expect(eb.commandCalls(StartReplayCommand)).toHaveLength(0);
  });

  it.each([
    [
      [
        'replay',
        '--aws',
        '--region',
        'eu-central-1',
        '--from',
        '2024-05-01T00:00:00Z',
        '--to',
        '2024-05-02T00:00:00Z',
      ],
      "required option '--archive <name|arn>'",
    ],
    [
      [
        'replay',
        '--aws',
        '--region',
        'eu-central-1',
        '--archive',
        'a',
        '--from',
        '2024-05-01T00:00:00Z',
      ],
      'replay needs --from and --to',
    ],
    [
      [
        'replay',
        '--aws',
        '--region',
        'eu-central-1',
        '--archive',
        'a',
        '--from',
        '2024-05-02T00:00:00Z',
        '--to',
        '2024-05-01T00:00:00Z',
      ],
      'must be before --to',
    ],
    [
      [
        'replay',
        '--aws',
        '--region',
        'eu-central-1',
        '--archive',
        'a',
        '--from',
        'May 1st',
        '--to',
        '2024-05-01T00:00:00Z',
      ],
      '--from must be an ISO 8601 time',
    ],
    [
      [
        'replay',
        '--aws',
        '--region',
        'eu-central-1',
        '--archive',
        'a',
        '--from',
        '2024-05-01T00:00:00Z',
        '--to',
        '2024-05-02T00:00:00Z',
        '--poll-interval',
        '0',
      ],
      '--poll-interval must be a positive number',
    ],
  ])('refuses %j with a usage error', async (args, message) => {
    const r = await runCli(...args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(eb.commandCalls(StartReplayCommand)).toHaveLength(0);
  });
});

describe('Function: ruleArn', () => {
  it('builds rule ARNs of custom and default buses and keeps given ARNs', () => {
    expect(ruleArn(BUS, 'r1')).toBe(`${ACCOUNT}:rule/lakewatch/r1`);
    expect(ruleArn(`${ACCOUNT}:event-bus/default`, 'r1')).toBe(`${ACCOUNT}:rule/r1`);
    expect(ruleArn(BUS, `${ACCOUNT}:rule/x/y`)).toBe(`${ACCOUNT}:rule/x/y`);
  });
});
