import { archiveArn, eventBusArn, resourceNameOf } from '../arns.js';
import type { Engine, LiveArchive } from '../engine.js';
import { ApiError, notFound, validationError } from '../errors.js';
import { compileEventPattern } from '../matching.js';
import { epoch, int, paginate, str } from '../validate.js';
import type { Operations, OperationsFactory } from './types.js';

const NAME_RE = /^[.\-_A-Za-z0-9]+$/;

/** The archive, or AWS's `ResourceNotFoundException`. */
export function requireArchive(engine: Engine, name: string): LiveArchive {
  const a = engine.archives.get(name);
  if (!a) throw notFound(`Archive ${name} does not exist.`);
  return a;
}

function summary(engine: Engine, a: LiveArchive): Record<string, unknown> {
  return {
    ArchiveName: a.name,
    EventSourceArn: eventBusArn(engine.account, a.bus),
    State: a.state,
    RetentionDays: a.retentionDays,
    SizeBytes: a.file.sizeBytes,
    EventCount: a.file.eventCount,
    CreationTime: epoch(a.creationTime),
  };
}

/** CreateArchive, DescribeArchive, ListArchives, DeleteArchive. */
export const archiveOperations: OperationsFactory = (engine): Operations => ({
  CreateArchive(input) {
    const name = str(input, 'ArchiveName', { required: true, max: 48, pattern: NAME_RE }) as string;
    const source = str(input, 'EventSourceArn', { required: true, max: 1600 }) as string;
    const bus = resourceNameOf(source, 'event-bus');
    if (!bus)
      throw validationError(
        `Parameter EventSourceArn is not valid: ${source} is not an event bus ARN.`,
      );
    engine.requireBus(bus);
    if (engine.archives.has(name))
      throw new ApiError('ResourceAlreadyExistsException', `Archive ${name} already exists.`);
    const pattern = str(input, 'EventPattern', { max: 4096 });
    if (pattern !== undefined) compileEventPattern(pattern);
    const description = str(input, 'Description', { max: 512 });
    const now = Date.now();
    engine.addArchive({
      name,
      bus,
      ...(description === undefined ? {} : { description }),
      ...(pattern === undefined ? {} : { eventPattern: pattern }),
      retentionDays: int(input, 'RetentionDays', 0, 2_147_483_647) ?? 0,
      state: 'ENABLED',
      creationTime: now,
    });
    engine.persist();
    return {
      ArchiveArn: archiveArn(engine.account, name),
      State: 'ENABLED',
      CreationTime: epoch(now),
    };
  },

  DescribeArchive(input) {
    const a = requireArchive(engine, str(input, 'ArchiveName', { required: true }) as string);
    return {
      ArchiveArn: archiveArn(engine.account, a.name),
      ...summary(engine, a),
      ...(a.description === undefined ? {} : { Description: a.description }),
      ...(a.eventPattern === undefined ? {} : { EventPattern: a.eventPattern }),
    };
  },

  ListArchives(input) {
    const prefix = str(input, 'NamePrefix') ?? '';
    const source = str(input, 'EventSourceArn');
    const state = str(input, 'State');
    const list = [...engine.archives.values()]
      .filter((a) => a.name.startsWith(prefix))
      .filter((a) => !source || eventBusArn(engine.account, a.bus) === source)
      .filter((a) => !state || a.state === state)
      .sort((a, b) => a.name.localeCompare(b.name));
    const { page, nextToken } = paginate(list, input);
    return { Archives: page.map((a) => summary(engine, a)), NextToken: nextToken };
  },

  async DeleteArchive(input) {
    const a = requireArchive(engine, str(input, 'ArchiveName', { required: true }) as string);
    engine.archives.delete(a.name);
    engine.persist();
    await a.file.close(true);
    return {};
  },
});
