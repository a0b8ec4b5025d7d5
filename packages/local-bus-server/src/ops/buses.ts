import { eventBusArn } from '../arns.js';
import type { Engine } from '../engine.js';
import { ApiError, validationError } from '../errors.js';
import type { BusRecord } from '../model.js';
import { epoch, paginate, str } from '../validate.js';
import type { Operations, OperationsFactory } from './types.js';

const BUS_NAME_RE = /^[/.\-_A-Za-z0-9]+$/;

function describe(engine: Engine, b: BusRecord): Record<string, unknown> {
  return {
    Name: b.name,
    Arn: eventBusArn(engine.account, b.name),
    ...(b.description === undefined ? {} : { Description: b.description }),
    CreationTime: epoch(b.creationTime),
    LastModifiedTime: epoch(b.lastModifiedTime),
  };
}

/** CreateEventBus, DescribeEventBus, ListEventBuses, DeleteEventBus. */
export const busOperations: OperationsFactory = (engine): Operations => ({
  CreateEventBus(input) {
    const name = str(input, 'Name', { required: true, max: 256, pattern: BUS_NAME_RE }) as string;
    if (name === 'default') throw validationError('Event bus name default is reserved.');
    if (engine.buses.has(name))
      throw new ApiError('ResourceAlreadyExistsException', `Event bus ${name} already exists.`);
    const description = str(input, 'Description', { max: 512 });
    const now = Date.now();
    engine.buses.set(name, {
      name,
      ...(description === undefined ? {} : { description }),
      creationTime: now,
      lastModifiedTime: now,
    });
    engine.persist();
    return {
      EventBusArn: eventBusArn(engine.account, name),
      ...(description === undefined ? {} : { Description: description }),
    };
  },

  DescribeEventBus(input) {
    const name = str(input, 'Name') ?? 'default';
    return describe(engine, engine.requireBus(name));
  },

  ListEventBuses(input) {
    const prefix = str(input, 'NamePrefix') ?? '';
    const buses = [...engine.buses.values()]
      .filter((b) => b.name.startsWith(prefix))
      .sort((a, b) => a.name.localeCompare(b.name));
    const { page, nextToken } = paginate(buses, input);
    return { EventBuses: page.map((b) => describe(engine, b)), NextToken: nextToken };
  },

  DeleteEventBus(input) {
    const name = str(input, 'Name', { required: true, max: 256 }) as string;
    if (name === 'default') throw validationError('Cannot delete event bus default.');
    if (!engine.buses.has(name)) return {};
    if ((engine.rules.get(name)?.size ?? 0) > 0)
      throw validationError(`Cannot delete event bus ${name}: delete its rules first.`);
    engine.buses.delete(name);
    engine.rules.delete(name);
    engine.persist();
    return {};
  },
});
