import {
  archiveArn,
  busNameOf,
  eventBusArn,
  parseRuleArn,
  replayArn,
  resourceNameOf,
} from '../arns.js';
import type { Engine } from '../engine.js';
import { ApiError, notFound, validationError } from '../errors.js';
import type { ReplayRecord } from '../model.js';
import { runReplay } from '../replay-runner.js';
import { epoch, type Input, paginate, str, time } from '../validate.js';
import { requireArchive } from './archives.js';
import type { Operations, OperationsFactory } from './types.js';

const NAME_RE = /^[.\-_A-Za-z0-9]+$/;

function requireReplay(engine: Engine, name: string): ReplayRecord {
  const r = engine.replays.get(name);
  if (!r) throw notFound(`Replay ${name} does not exist.`);
  return r;
}

function summary(engine: Engine, r: ReplayRecord): Record<string, unknown> {
  return {
    ReplayName: r.name,
    EventSourceArn: archiveArn(engine.account, r.archive),
    State: r.state,
    ...(r.stateReason === undefined ? {} : { StateReason: r.stateReason }),
    EventStartTime: epoch(r.eventStartTime),
    EventEndTime: epoch(r.eventEndTime),
    EventLastReplayedTime: epoch(r.eventLastReplayedTime),
    ReplayStartTime: epoch(r.replayStartTime),
    ReplayEndTime: epoch(r.replayEndTime),
  };
}

function destination(engine: Engine, r: ReplayRecord): Record<string, unknown> {
  const arn = eventBusArn(engine.account, r.destinationBus);
  return r.filterRules.length === 0
    ? { Arn: arn }
    : {
        Arn: arn,
        FilterArns: r.filterRules.map((n) => engine.ruleArn({ bus: r.destinationBus, name: n })),
      };
}

/** StartReplay, DescribeReplay, ListReplays, CancelReplay. */
export const replayOperations: OperationsFactory = (engine): Operations => ({
  StartReplay(input) {
    const name = str(input, 'ReplayName', { required: true, max: 64, pattern: NAME_RE }) as string;
    const source = str(input, 'EventSourceArn', { required: true }) as string;
    const archiveName = resourceNameOf(source, 'archive');
    if (!archiveName)
      throw validationError(
        `Parameter EventSourceArn is not valid: ${source} is not an archive ARN.`,
      );
    const archive = requireArchive(engine, archiveName);
    const start = time(input, 'EventStartTime');
    const end = time(input, 'EventEndTime');
    if (start === undefined || end === undefined)
      throw validationError('Parameters EventStartTime and EventEndTime are required.');
    if (start >= end)
      throw validationError(
        'Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.',
      );
    if (end > Date.now())
      throw validationError(
        'Parameter EventEndTime is not valid. Reason: EventEndTime must not be in the future.',
      );
    const dest = (input.Destination ?? {}) as Input;
    const destArn = str(dest, 'Arn', { required: true }) as string;
    const bus = busNameOf(destArn);
    if (bus !== archive.bus)
      throw validationError(
        `Parameter Destination.Arn is not valid. Reason: it must be the archive's event bus ${eventBusArn(engine.account, archive.bus)}.`,
      );
    const filterRules: string[] = [];
    for (const arn of (dest.FilterArns ?? []) as unknown[]) {
      const parsed = typeof arn === 'string' ? parseRuleArn(arn) : undefined;
      if (!parsed || parsed.bus !== bus)
        throw validationError(
          `Parameter Destination.FilterArns is not valid: ${String(arn)} is not a rule ARN on event bus ${bus}.`,
        );
      engine.requireRule(bus, parsed.rule);
      filterRules.push(parsed.rule);
    }
    if (engine.replays.has(name))
      throw new ApiError('ResourceAlreadyExistsException', `Replay ${name} already exists.`);
    const description = str(input, 'Description', { max: 512 });
    const replay: ReplayRecord = {
      name,
      ...(description === undefined ? {} : { description }),
      archive: archive.name,
      destinationBus: bus,
      filterRules,
      eventStartTime: start,
      eventEndTime: end,
      state: 'STARTING',
      replayStartTime: Date.now(),
    };
    engine.replays.set(name, replay);
    engine.persist();
    setImmediate(() => {
      runReplay(engine, replay).catch((e: unknown) =>
        engine.options.log(`replay ${name}: ${(e as Error).message}`),
      );
    });
    return {
      ReplayArn: replayArn(engine.account, name),
      State: 'STARTING',
      ReplayStartTime: epoch(replay.replayStartTime),
    };
  },

  DescribeReplay(input) {
    const r = requireReplay(engine, str(input, 'ReplayName', { required: true }) as string);
    return {
      ...summary(engine, r),
      ReplayArn: replayArn(engine.account, r.name),
      ...(r.description === undefined ? {} : { Description: r.description }),
      Destination: destination(engine, r),
    };
  },

  ListReplays(input) {
    const prefix = str(input, 'NamePrefix') ?? '';
    const state = str(input, 'State');
    const source = str(input, 'EventSourceArn');
    const list = [...engine.replays.values()]
      .filter((r) => r.name.startsWith(prefix))
      .filter((r) => !state || r.state === state)
      .filter((r) => !source || archiveArn(engine.account, r.archive) === source)
      .sort((a, b) => a.name.localeCompare(b.name));
    const { page, nextToken } = paginate(list, input);
    return { Replays: page.map((r) => summary(engine, r)), NextToken: nextToken };
  },

  CancelReplay(input) {
    const r = requireReplay(engine, str(input, 'ReplayName', { required: true }) as string);
    if (r.state !== 'STARTING' && r.state !== 'RUNNING')
      throw new ApiError(
        'IllegalStatusException',
        `Replay ${r.name} is not in a state that can be cancelled: ${r.state}.`,
      );
    r.state = 'CANCELLING';
    engine.persist();
    return { ReplayArn: replayArn(engine.account, r.name), State: 'CANCELLING' };
  },
});
