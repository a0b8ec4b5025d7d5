import {
  DescribeArchiveCommand,
  DescribeReplayCommand,
  type DescribeReplayResponse,
  EventBridgeClient,
  type EventBridgeClientConfig,
  StartReplayCommand,
} from '@aws-sdk/client-eventbridge';
import { CliError } from '../errors.js';
import type { CliIo } from '../io.js';
import { awsCall, formatDuration, pollUntil, usage } from './aws.js';

/** Options of {@link replayArchive}. */
export interface ReplayArchiveOptions {
  /** An archive name or ARN. */
  archive: string;
  from: Date;
  to: Date;
  /** Only these rules (names or ARNs on the destination bus) receive the replayed events. */
  rules?: string[];
  /** Destination bus name or ARN. @default the archive's source bus (AWS requires that one) */
  bus?: string;
  /** @default `lakewatch-replay-<time>` */
  name: string;
  /** Poll interval, or false to return once the replay started. */
  wait: { pollMs: number } | false;
  /** The EventBridge client's config: region, and endpoint for the local bus. */
  client: EventBridgeClientConfig;
}

/** What `lakewatch replay` reports. */
export interface ReplayArchiveResult {
  replay: string;
  arn?: string;
  archive: string;
  destination: string;
  filter_arns: string[];
  state: string;
  from: string;
  to: string;
  last_replayed?: string;
}

const ARCHIVE_ARN = /^arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:archive\/(.+)$/;
const BUS_ARN = /^(arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}):event-bus\/(.+)$/;

/** `arn:…:event-bus/B` + rule `R` → `arn:…:rule/B/R` (`rule/R` on the default bus). */
export function ruleArn(busArn: string, rule: string): string {
  if (rule.startsWith('arn:')) return rule;
  const m = BUS_ARN.exec(busArn);
  if (!m) throw new CliError(`not an event bus ARN: '${busArn}'`);
  return m[2] === 'default' ? `${m[1]}:rule/${rule}` : `${m[1]}:rule/${m[2]}/${rule}`;
}

function busArnOf(bus: string, sourceBusArn: string): string {
  if (bus.startsWith('arn:')) return bus;
  const m = BUS_ARN.exec(sourceBusArn);
  if (!m) throw new CliError(`not an event bus ARN: '${sourceBusArn}'`);
  return `${m[1]}:event-bus/${bus}`;
}

/**
 * Replays an EventBridge archive's events of [from, to] onto its bus (optionally to some
 * rules only): DescribeArchive, StartReplay, then DescribeReplay until COMPLETED, FAILED or
 * CANCELLED, printing progress as the share of the window replayed.
 */
export async function replayArchive(
  o: ReplayArchiveOptions,
  io: CliIo,
): Promise<ReplayArchiveResult> {
  if (o.from.getTime() >= o.to.getTime())
    throw usage(`--from (${o.from.toISOString()}) must be before --to (${o.to.toISOString()})`);
  const archiveName = ARCHIVE_ARN.exec(o.archive)?.[1] ?? o.archive;
  const eb = new EventBridgeClient(o.client);
  try {
    const archive = await awsCall(`eventbridge DescribeArchive ${archiveName}`, () =>
      eb.send(new DescribeArchiveCommand({ ArchiveName: archiveName })),
    );
    const sourceBus = archive.EventSourceArn;
    if (!archive.ArchiveArn || !sourceBus)
      throw new CliError(`archive ${archiveName} has no ARN or source bus`);
    const destination = o.bus ? busArnOf(o.bus, sourceBus) : sourceBus;
    const filterArns = (o.rules ?? []).map((r) => ruleArn(destination, r));
    const started = await awsCall('eventbridge StartReplay', () =>
      eb.send(
        new StartReplayCommand({
          ReplayName: o.name,
          Description: `lakewatch replay of ${archiveName}`,
          EventSourceArn: archive.ArchiveArn,
          EventStartTime: o.from,
          EventEndTime: o.to,
          Destination: {
            Arn: destination,
            ...(filterArns.length ? { FilterArns: filterArns } : {}),
          },
        }),
      ),
    );
    io.err(
      `replay: ${o.name} of ${archiveName} [${o.from.toISOString()}, ${o.to.toISOString()}] -> ${destination}\n`,
    );
    const base = {
      replay: o.name,
      ...(started.ReplayArn ? { arn: started.ReplayArn } : {}),
      archive: archive.ArchiveArn,
      destination,
      filter_arns: filterArns,
      from: o.from.toISOString(),
      to: o.to.toISOString(),
    };
    if (!o.wait) return { ...base, state: started.State ?? 'STARTING' };
    const final = await waitForReplay(eb, o, io);
    return {
      ...base,
      state: final.State ?? 'COMPLETED',
      ...(final.EventLastReplayedTime
        ? { last_replayed: final.EventLastReplayedTime.toISOString() }
        : {}),
    };
  } finally {
    eb.destroy();
  }
}

async function waitForReplay(
  eb: EventBridgeClient,
  o: ReplayArchiveOptions,
  io: CliIo,
): Promise<DescribeReplayResponse> {
  const span = o.to.getTime() - o.from.getTime();
  let last = '';
  const final = await pollUntil({
    what: `replay ${o.name}`,
    intervalMs: (o.wait as { pollMs: number }).pollMs,
    read: () =>
      awsCall('eventbridge DescribeReplay', () =>
        eb.send(new DescribeReplayCommand({ ReplayName: o.name })),
      ),
    done: (r) => ['COMPLETED', 'FAILED', 'CANCELLED'].includes(r.State ?? ''),
    onRead: (r, elapsed) => {
      const at = r.EventLastReplayedTime?.getTime();
      const pct =
        at === undefined
          ? ''
          : ` ${Math.max(0, Math.min(100, Math.round(((at - o.from.getTime()) / span) * 100)))}%`;
      const line = `${r.State}${pct}`;
      if (line !== last) io.err(`replay: ${line} (${formatDuration(elapsed)})\n`);
      last = line;
    },
  });
  if (final.State !== 'COMPLETED')
    throw new CliError(
      `replay ${o.name} ${final.State?.toLowerCase()}: ${final.StateReason ?? 'no StateReason given'}`,
    );
  return final;
}
