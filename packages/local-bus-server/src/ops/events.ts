import { randomUUID } from 'node:crypto';
import { type AccountInfo, busNameOf } from '../arns.js';
import type { Publication } from '../engine.js';
import { validationError } from '../errors.js';
import { type BusEvent, eventTime } from '../event.js';
import { compileEventPattern } from '../matching.js';
import { type Input, str } from '../validate.js';
import type { Operations, OperationsFactory } from './types.js';

/** EventBridge's limit on one PutEvents request, as AWS sizes entries. */
export const MAX_PUT_EVENTS_BYTES = 256 * 1024;

interface ResultEntry {
  EventId?: string;
  ErrorCode?: string;
  ErrorMessage?: string;
}

/** An entry's size as AWS computes it: Time (14), Source, DetailType, Detail, Resources. */
export function entrySize(entry: Input): number {
  let size = entry.Time === undefined || entry.Time === null ? 0 : 14;
  for (const key of ['Source', 'DetailType', 'Detail'] as const) {
    const v = entry[key];
    if (typeof v === 'string') size += Buffer.byteLength(v);
  }
  if (Array.isArray(entry.Resources))
    for (const r of entry.Resources) if (typeof r === 'string') size += Buffer.byteLength(r);
  return size;
}

const invalid = (param: string, reason: string): ResultEntry => ({
  ErrorCode: 'InvalidArgument',
  ErrorMessage: `Parameter ${param} is not valid. Reason: ${reason}`,
});

const REQUIRED_EVENT_FIELDS = ['id', 'account', 'source', 'time', 'region', 'detail-type'];

/** PutEvents and TestEventPattern. */
export const eventOperations: OperationsFactory = (engine): Operations => ({
  async PutEvents(input) {
    const entries = input.Entries;
    if (!Array.isArray(entries))
      throw validationError('Parameter Entries must be a list of entries');
    if (entries.length < 1 || entries.length > 10)
      throw validationError(
        `1 validation error detected: Value '[...${entries.length} entries]' at 'entries' failed to satisfy constraint: Member must have length ${entries.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 10'}`,
      );
    let total = 0;
    for (const e of entries) total += entrySize((e ?? {}) as Input);
    if (total > MAX_PUT_EVENTS_BYTES)
      throw validationError('Total size of the entries in the request is over the limit.');
    const results: ResultEntry[] = [];
    const accepted: Publication[] = [];
    const slots: number[] = [];
    const nowText = currentEventTime();
    for (const raw of entries) {
      const e = (raw ?? {}) as Input;
      const res = buildEvent(e, nowText, engine.account);
      if (!('id' in res)) {
        results.push(res);
        continue;
      }
      const bus = busNameOf(typeof e.EventBusName === 'string' ? e.EventBusName : undefined);
      if (!engine.buses.has(bus)) {
        results.push({
          ErrorCode: 'NotFoundException',
          ErrorMessage: `Event bus ${bus} does not exist.`,
        });
        continue;
      }
      slots.push(results.length);
      results.push({ EventId: res.id });
      accepted.push({ bus, event: res, tasks: engine.matchTasks(bus, res), archive: true });
    }
    if (accepted.length > 0) {
      try {
        await engine.publish(accepted);
      } catch (err) {
        for (const i of slots)
          results[i] = { ErrorCode: 'InternalFailure', ErrorMessage: (err as Error).message };
      }
    }
    return {
      FailedEntryCount: results.filter((r) => r.ErrorCode).length,
      Entries: results,
    };
  },

  TestEventPattern(input) {
    const pattern = str(input, 'EventPattern', { required: true }) as string;
    const text = str(input, 'Event', { required: true }) as string;
    const matcher = compileEventPattern(pattern);
    let event: unknown;
    try {
      event = JSON.parse(text);
    } catch (e) {
      throw validationError(`Parameter Event is not valid. Reason: ${(e as Error).message}`);
    }
    if (typeof event !== 'object' || event === null || Array.isArray(event))
      throw validationError(
        'Parameter Event is not valid. Reason: the event must be a JSON object.',
      );
    const missing = REQUIRED_EVENT_FIELDS.filter((k) => !(k in event));
    if (missing.length > 0)
      throw validationError(
        `Parameter Event is not valid. Reason: Provided Event is missing required field(s): ${missing.join(', ')}`,
      );
    return { Result: matcher.matches(event) };
  },
});

// `time` has one-second resolution: the text is made once per second, not per call.
let lastSecond = -1;
let lastText = '';
function currentEventTime(): string {
  const ms = Date.now();
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    lastText = eventTime(new Date(ms));
  }
  return lastText;
}

function buildEvent(e: Input, nowText: string, a: AccountInfo): BusEvent | ResultEntry {
  for (const key of ['Source', 'DetailType', 'Detail'] as const) {
    const v = e[key];
    if (v === undefined || v === null || v === '')
      return invalid(key, `${key} is a required argument.`);
    if (typeof v !== 'string') return invalid(key, `${key} must be a string.`);
  }
  let detail: unknown;
  try {
    detail = JSON.parse(e.Detail as string);
  } catch {
    return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  }
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail))
    return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  let time = nowText;
  if (e.Time !== undefined && e.Time !== null) {
    const t = new Date(typeof e.Time === 'number' ? e.Time * 1000 : String(e.Time));
    if (Number.isNaN(t.getTime()))
      return invalid('Time', `${JSON.stringify(e.Time)} is not a timestamp.`);
    time = eventTime(t);
  }
  const resources = e.Resources ?? [];
  if (!Array.isArray(resources) || resources.some((r) => typeof r !== 'string'))
    return invalid('Resources', 'Resources must be a list of strings.');
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': e.DetailType as string,
    source: e.Source as string,
    account: a.account,
    time,
    region: a.region,
    resources: resources as string[],
    detail,
  };
}
