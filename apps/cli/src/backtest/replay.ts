import { copyFile, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateEventBusCommand,
  DeleteRuleCommand,
  DescribeArchiveCommand,
  DescribeReplayCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  StartReplayCommand,
} from '@aws-sdk/client-eventbridge';
import { type LocalBus, startLocalBus } from '@lakewatch/local-bus-server';
import { CliError } from '../errors.js';
import { type Collector, startCollector } from './collector.js';
import type { CollectedVerdict } from './report.js';
import { type ServiceProcess, startServiceProcess } from './service-process.js';

/** The bus the shadow score processes publish their verdicts on (no archive, no other rule). */
export const BACKTEST_BUS = 'lakewatch-backtest';

/** One side of the comparison: a model and an optional threshold override. */
export interface ShadowSide {
  role: 'baseline' | 'candidate';
  modelPath: string;
  threshold?: number;
}

/** What a replay needs. */
export interface ReplayOptions {
  runId: string;
  from: Date;
  to: Date;
  sides: readonly ShadowSide[];
  /** A running local bus; otherwise `busDir` is copied and a bus is started on the copy. */
  endpoint?: string;
  busDir?: string;
  /** @default 'lakewatch-all' */
  archive?: string;
  /** `apps/score/bin/score.js`. */
  scoreBin: string;
  /** Scratch space (the bus copy, score state). */
  workDir: string;
  /** Where the processes' logs go. */
  logDir: string;
  /** @default 600000 */
  timeoutMs?: number;
  progress?: (line: string) => void;
}

/** What came back from a replay. */
export interface ReplayResult {
  verdicts: CollectedVerdict[];
  replayName: string;
  endpoint: string;
  ownBus: boolean;
  events: { baseline: number; candidate: number };
  refused: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function ownBusOn(busDir: string, archive: string, workDir: string, logDir: string) {
  const control = join(busDir, 'control.json');
  const archived = join(busDir, 'archives', `${archive}.log`);
  if (!(await exists(control)))
    throw new CliError(
      `--bus-dir ${busDir}: no local bus data here (control.json missing); give the data dir of the bus that archived the events, or --endpoint of a running bus`,
      { exitCode: 2 },
    );
  if (!(await exists(archived)))
    throw new CliError(`--bus-dir ${busDir}: archive ${archive} has no events (${archived})`, {
      exitCode: 2,
    });
  // The bus runs on a copy: the user's bus folder is only read, and no delivery it still owes
  // (to live services) is resumed by this run.
  const dataDir = join(workDir, 'bus');
  await mkdir(join(dataDir, 'archives'), { recursive: true });
  await copyFile(control, join(dataDir, 'control.json'));
  await copyFile(archived, join(dataDir, 'archives', `${archive}.log`));
  const { appendFileSync } = await import('node:fs');
  return startLocalBus({
    dataDir,
    port: 0,
    retryBaseDelayMs: 200,
    retryMaxDelayMs: 2000,
    log: (line) => appendFileSync(join(logDir, 'local-bus.log'), `${line}\n`),
  });
}

function busOfArn(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

async function settle(
  client: EventBridgeClient,
  o: ReplayOptions,
  replayName: string,
  endpoint: string,
  scores: readonly ServiceProcess[],
  roles: readonly ShadowSide['role'][],
  collector: Collector,
): Promise<void> {
  const deadline = Date.now() + (o.timeoutMs ?? 600_000);
  let state = '';
  for (;;) {
    const r = await client.send(new DescribeReplayCommand({ ReplayName: replayName }));
    state = r.State ?? '';
    if (state === 'COMPLETED') break;
    if (state === 'FAILED' || state === 'CANCELLED')
      throw new CliError(`replay ${replayName} ended ${state}: ${r.StateReason ?? 'no reason'}`);
    if (Date.now() > deadline) throw new CliError(`replay ${replayName} still ${state} at timeout`);
    await sleep(200);
  }
  let last = '';
  let stableSince = Date.now();
  let reported = Date.now();
  for (;;) {
    const healths = await Promise.all(scores.map((s) => s.health()));
    const bus = (await (await fetch(`${endpoint}/health`)).json().catch(() => ({}))) as {
      pendingDeliveries?: number;
    };
    const caughtUp = healths.every(
      (h, i) => h.shadowVerdicts === collector.events[roles[i]!] && h.shadowVerdicts !== undefined,
    );
    const sig = JSON.stringify([healths.map((h) => h.batches), collector.events]);
    if (sig !== last) {
      last = sig;
      stableSince = Date.now();
    }
    // With nothing owed the bus is done; a shared bus may owe other deliveries: then wait
    // until the counters stop moving.
    if (caughtUp && (bus.pendingDeliveries === 0 || Date.now() - stableSince > 3000)) return;
    if (Date.now() > deadline)
      throw new CliError(
        `verdicts did not all arrive before the timeout: score ${JSON.stringify(healths)}, collected ${JSON.stringify(collector.events)}`,
      );
    if (Date.now() - reported >= 2000) {
      reported = Date.now();
      o.progress?.(
        `  scored batches: ${healths.map((h, i) => `${roles[i]} ${String(h.batches)}`).join(', ')}\n`,
      );
    }
    await sleep(250);
  }
}

/**
 * Replays the archive's NetworkPairsObserved events of [from, to] to one shadow score
 * process per side, through a rule that only this replay's events match, and collects the
 * ShadowVerdictsRecorded they publish on {@link BACKTEST_BUS}. Nothing else receives them:
 * the replay is filtered to that rule, shadow scoring never publishes AnomalyDetected, and the
 * verdicts bus has no rule but the collector's. Rules and processes are removed at the end.
 */
export async function replayThroughShadowScore(o: ReplayOptions): Promise<ReplayResult> {
  const archive = o.archive ?? 'lakewatch-all';
  await mkdir(o.logDir, { recursive: true });
  let bus: LocalBus | undefined;
  const cleanups: Array<() => Promise<unknown>> = [];
  try {
    if (!o.endpoint)
      bus = await ownBusOn(o.busDir ?? '.lakewatch/bus', archive, o.workDir, o.logDir);
    const endpoint = o.endpoint ?? bus!.url;
    const client = new EventBridgeClient({
      endpoint,
      region: process.env.AWS_REGION ?? 'us-east-1',
      credentials: {
        accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'local',
        secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
      },
    });
    cleanups.push(async () => client.destroy());
    const arch = await client
      .send(new DescribeArchiveCommand({ ArchiveName: archive }))
      .catch((e: Error) => {
        throw new CliError(`archive ${archive} on the bus at ${endpoint}: ${e.message}`, {
          cause: e,
        });
      });
    const sourceBusArn = arch.EventSourceArn!;
    const sourceBus = busOfArn(sourceBusArn);
    await client.send(new CreateEventBusCommand({ Name: BACKTEST_BUS })).catch((e: Error) => {
      if (e.name !== 'ResourceAlreadyExistsException') throw e;
    });
    const collector = await startCollector(o.runId);
    cleanups.push(() => collector.close());
    const rule = async (busName: string, name: string, pattern: object, urls: string[]) => {
      const put = await client.send(
        new PutRuleCommand({
          Name: name,
          EventBusName: busName,
          EventPattern: JSON.stringify(pattern),
          Description: `lakewatch backtest ${o.runId}`,
        }),
      );
      const ids = urls.map((_, i) => `t${i}`);
      cleanups.push(async () => {
        await client.send(
          new RemoveTargetsCommand({ Rule: name, EventBusName: busName, Ids: ids }),
        );
        await client.send(new DeleteRuleCommand({ Name: name, EventBusName: busName }));
      });
      const res = await client.send(
        new PutTargetsCommand({
          Rule: name,
          EventBusName: busName,
          Targets: urls.map((u, i) => ({
            Id: ids[i]!,
            Arn: u,
            RetryPolicy: { MaximumRetryAttempts: 20, MaximumEventAgeInSeconds: 3600 },
          })),
        }),
      );
      if (res.FailedEntryCount)
        throw new CliError(`rule ${name}: ${JSON.stringify(res.FailedEntries)}`);
      return put.RuleArn!;
    };
    await rule(
      BACKTEST_BUS,
      `${o.runId}-verdicts`,
      {
        source: ['lakewatch.score'],
        'detail-type': ['ShadowVerdictsRecorded'],
        detail: { runId: [o.runId] },
      },
      [collector.url],
    );
    const scores = await Promise.all(
      o.sides.map(async (side) => {
        const proc = await startServiceProcess({
          name: `score (${side.role})`,
          bin: o.scoreBin,
          logFile: join(o.logDir, `score-${side.role}.log`),
          env: {
            SCORE_MODE: 'embedded',
            SCORE_MODEL_PATH: side.modelPath,
            ...(side.threshold !== undefined && { SCORE_THRESHOLD: String(side.threshold) }),
            SCORE_PUBLISH: 'shadow',
            SCORE_ROLE: side.role,
            SCORE_RUN_ID: o.runId,
            SCORE_CACHE_TTL_SECONDS: '0',
            SCORE_STATE_DIR: join(o.workDir, `score-${side.role}`),
            EVENT_BUS_NAME: BACKTEST_BUS,
            AWS_ENDPOINT_URL_EVENTBRIDGE: endpoint,
            AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
            AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'local',
            AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
            PORT: '0',
            HOST: '127.0.0.1',
            LOG_LEVEL: 'warn',
          },
        });
        cleanups.push(() => proc.stop());
        return proc;
      }),
    );
    // replay names are unique on a bus; this one is bookkeeping, never part of the report
    const replayName = `${o.runId}-${Date.now().toString(36)}`;
    const ruleArn = await rule(
      sourceBus,
      `${o.runId}-replay`,
      {
        source: ['lakewatch.ingest'],
        'detail-type': ['NetworkPairsObserved'],
        'replay-name': [replayName],
      },
      scores.map((s) => `${s.url}/events`),
    );
    const end = new Date(Math.min(o.to.getTime(), Date.now() - 1000));
    o.progress?.(`replaying ${archive} ${o.from.toISOString()} … ${end.toISOString()}\n`);
    await client.send(
      new StartReplayCommand({
        ReplayName: replayName,
        EventSourceArn: arch.ArchiveArn,
        EventStartTime: o.from,
        EventEndTime: end,
        Destination: { Arn: sourceBusArn, FilterArns: [ruleArn] },
      }),
    );
    await settle(
      client,
      o,
      replayName,
      endpoint,
      scores,
      o.sides.map((s) => s.role),
      collector,
    );
    return {
      verdicts: collector.verdicts(),
      replayName,
      endpoint,
      ownBus: bus !== undefined,
      events: { ...collector.events },
      refused: collector.refused.length,
    };
  } finally {
    for (const c of cleanups.reverse()) await c().catch(() => {});
    await bus?.close();
  }
}
