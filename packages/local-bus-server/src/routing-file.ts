import { readFileSync } from 'node:fs';
import { ApiError, RoutingFileError } from './errors.js';
import { compileEventPattern, targetInputProblem } from './matching.js';
import type { Target } from './model.js';

/** A target in a routing file: exactly one of `Service`, `Url` or `Arn` says where it goes. */
export interface RoutingTarget extends Omit<Target, 'Arn'> {
  /** A Lakewatch service by name (`notify`); its URL comes from `Services`. */
  Service?: string;
  /** An http(s) endpoint. */
  Url?: string;
  /** Any target ARN; locally it needs an `Endpoints` entry unless it is a URL. */
  Arn?: string;
}

/** A rule in a routing file; `EventPattern` is normalized to JSON text. */
export interface RoutingRule {
  Name: string;
  Description?: string;
  State?: 'ENABLED' | 'DISABLED';
  EventPattern: string;
  Targets: RoutingTarget[];
}

/** An archive in a routing file. */
export interface RoutingArchive {
  Name: string;
  Description?: string;
  EventPattern?: string;
  /** 0 keeps events forever. */
  RetentionDays: number;
}

/** A bus in a routing file (`default` or a custom bus). */
export interface RoutingBus {
  Name: string;
  Description?: string;
  Rules: RoutingRule[];
  Archives: RoutingArchive[];
}

/**
 * The routing file shared by the local bus, the notify service and the AWS deployment:
 * buses, rules with event patterns, targets with retry policy and input transformation,
 * archives with retention. See the package README for the schema.
 */
export interface RoutingFile {
  Version: 1;
  /** Service name → local URL of its HTTP target. */
  Services: Record<string, string>;
  /** Target ARN → local URL. */
  Endpoints: Record<string, string>;
  EventBuses: RoutingBus[];
}

type Obj = Record<string, unknown>;
const NAME_RE = /^[.\-_A-Za-z0-9]+$/;

function obj(v: unknown, path: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new RoutingFileError(path, `must be an object, got ${JSON.stringify(v)?.slice(0, 60)}`);
  return v as Obj;
}

/** Fields named `x-…` belong to other readers of the file (notify, the CDK app): allowed, ignored. */
export function isExtensionField(key: string): boolean {
  return key.startsWith('x-');
}

function only(o: Obj, path: string, keys: readonly string[]): void {
  for (const k of Object.keys(o))
    if (!keys.includes(k) && !isExtensionField(k))
      throw new RoutingFileError(
        path,
        `unknown field '${k}' (allowed: ${keys.join(', ')}, or x-… for other readers)`,
      );
}

function text(
  o: Obj,
  key: string,
  path: string,
  required: boolean,
  re?: RegExp,
  max?: number,
): string | undefined {
  const v = o[key];
  if (v === undefined) {
    if (required) throw new RoutingFileError(`${path}.${key}`, 'is required');
    return undefined;
  }
  if (typeof v !== 'string' || v.length === 0)
    throw new RoutingFileError(
      `${path}.${key}`,
      `must be a non-empty string, got ${JSON.stringify(v)}`,
    );
  if (re && !re.test(v))
    throw new RoutingFileError(`${path}.${key}`, `'${v}' must match ${re.source}`);
  if (max !== undefined && v.length > max)
    throw new RoutingFileError(`${path}.${key}`, `'${v}' is longer than ${max}`);
  return v;
}

function list(o: Obj, key: string, path: string): unknown[] {
  const v = o[key] ?? [];
  if (!Array.isArray(v)) throw new RoutingFileError(`${path}.${key}`, 'must be a list');
  return v;
}

function isUrl(v: unknown): v is string {
  if (typeof v !== 'string' || !/^https?:\/\/[^/]/.test(v)) return false;
  try {
    new URL(v);
    return true;
  } catch {
    return false;
  }
}

function urlMap(o: Obj, key: string): Record<string, string> {
  const m = obj(o[key] ?? {}, key);
  for (const [k, v] of Object.entries(m))
    if (!isUrl(v))
      throw new RoutingFileError(`${key}.${k}`, `must be an http(s) URL, got ${JSON.stringify(v)}`);
  return m as Record<string, string>;
}

function pattern(v: unknown, path: string): string {
  const t = typeof v === 'string' ? v : JSON.stringify(obj(v, path));
  try {
    compileEventPattern(t);
  } catch (e) {
    if (e instanceof ApiError) throw new RoutingFileError(path, e.message, { cause: e });
    throw e;
  }
  return t;
}

function target(v: unknown, path: string, file: { Services: Obj; Endpoints: Obj }): RoutingTarget {
  const t = obj(v, path);
  only(t, path, [
    'Id',
    'Service',
    'Url',
    'Arn',
    'RoleArn',
    'Input',
    'InputPath',
    'InputTransformer',
    'RetryPolicy',
    'DeadLetterConfig',
    'HttpParameters',
  ]);
  text(t, 'Id', path, true, NAME_RE, 64);
  const where = (['Service', 'Url', 'Arn'] as const).filter((k) => t[k] !== undefined);
  if (where.length !== 1)
    throw new RoutingFileError(
      path,
      `give exactly one of Service, Url or Arn (got ${where.join(', ') || 'none'})`,
    );
  const service = text(t, 'Service', path, false);
  if (service && !(service in file.Services))
    throw new RoutingFileError(`${path}.Service`, `service '${service}' has no URL in Services`);
  const url = text(t, 'Url', path, false);
  if (url !== undefined && !isUrl(url))
    throw new RoutingFileError(`${path}.Url`, `must be an http(s) URL, got ${JSON.stringify(url)}`);
  const arn = text(t, 'Arn', path, false);
  if (arn && !/^https?:\/\//.test(arn) && !(arn in file.Endpoints))
    throw new RoutingFileError(`${path}.Arn`, `'${arn}' has no URL in Endpoints`);
  if (t.RetryPolicy !== undefined) {
    const r = obj(t.RetryPolicy, `${path}.RetryPolicy`);
    only(r, `${path}.RetryPolicy`, ['MaximumRetryAttempts', 'MaximumEventAgeInSeconds']);
    const n = r.MaximumRetryAttempts;
    if (n !== undefined && (!Number.isInteger(n) || (n as number) < 0 || (n as number) > 185))
      throw new RoutingFileError(
        `${path}.RetryPolicy.MaximumRetryAttempts`,
        `must be an integer from 0 to 185, got ${JSON.stringify(n)}`,
      );
    const a = r.MaximumEventAgeInSeconds;
    if (a !== undefined && (!Number.isInteger(a) || (a as number) < 60 || (a as number) > 86_400))
      throw new RoutingFileError(
        `${path}.RetryPolicy.MaximumEventAgeInSeconds`,
        `must be an integer from 60 to 86400, got ${JSON.stringify(a)}`,
      );
  }
  const problem = targetInputProblem(t as unknown as Target);
  if (problem) throw new RoutingFileError(path, problem);
  return t as unknown as RoutingTarget;
}

/** Validates a routing file's content; errors name the offending field. */
export function parseRoutingFile(value: unknown): RoutingFile {
  const root = obj(value, '(root)');
  only(root, '(root)', ['$schema', 'Version', 'Services', 'Endpoints', 'EventBuses']);
  if (root.Version !== 1)
    throw new RoutingFileError('Version', `must be 1, got ${JSON.stringify(root.Version)}`);
  const file = { Services: urlMap(root, 'Services'), Endpoints: urlMap(root, 'Endpoints') };
  const busNames = new Set<string>();
  const archiveNames = new Set<string>();
  const buses = list(root, 'EventBuses', '(root)').map((bv, i): RoutingBus => {
    const p = `EventBuses[${i}]`;
    const b = obj(bv, p);
    only(b, p, ['Name', 'Description', 'Rules', 'Archives']);
    const name = text(b, 'Name', p, true, /^[/.\-_A-Za-z0-9]+$/, 256) as string;
    if (busNames.has(name))
      throw new RoutingFileError(`${p}.Name`, `event bus '${name}' is listed twice`);
    busNames.add(name);
    const ruleNames = new Set<string>();
    const rules = list(b, 'Rules', p).map((rv, j): RoutingRule => {
      const rp = `${p}.Rules[${j}]`;
      const r = obj(rv, rp);
      only(r, rp, ['Name', 'Description', 'State', 'EventPattern', 'Targets']);
      const rn = text(r, 'Name', rp, true, NAME_RE, 64) as string;
      if (ruleNames.has(rn))
        throw new RoutingFileError(`${rp}.Name`, `rule '${rn}' is listed twice on bus '${name}'`);
      ruleNames.add(rn);
      const state = r.State ?? 'ENABLED';
      if (state !== 'ENABLED' && state !== 'DISABLED')
        throw new RoutingFileError(
          `${rp}.State`,
          `must be ENABLED or DISABLED, got ${JSON.stringify(state)}`,
        );
      if (r.EventPattern === undefined)
        throw new RoutingFileError(`${rp}.EventPattern`, 'is required');
      const targets = list(r, 'Targets', rp).map((tv, k) =>
        target(tv, `${rp}.Targets[${k}]`, file),
      );
      if (targets.length > 5)
        throw new RoutingFileError(
          `${rp}.Targets`,
          `a rule has at most 5 targets, got ${targets.length}`,
        );
      const ids = new Set(targets.map((t) => t.Id));
      if (ids.size !== targets.length)
        throw new RoutingFileError(`${rp}.Targets`, 'target Ids must be unique');
      const desc = text(r, 'Description', rp, false);
      return {
        Name: rn,
        ...(desc ? { Description: desc } : {}),
        State: state,
        EventPattern: pattern(r.EventPattern, `${rp}.EventPattern`),
        Targets: targets,
      };
    });
    const archives = list(b, 'Archives', p).map((av, j): RoutingArchive => {
      const ap = `${p}.Archives[${j}]`;
      const a = obj(av, ap);
      only(a, ap, ['Name', 'Description', 'EventPattern', 'RetentionDays']);
      const an = text(a, 'Name', ap, true, NAME_RE, 48) as string;
      if (archiveNames.has(an))
        throw new RoutingFileError(`${ap}.Name`, `archive '${an}' is listed twice`);
      archiveNames.add(an);
      const days = a.RetentionDays ?? 0;
      if (!Number.isInteger(days) || (days as number) < 0)
        throw new RoutingFileError(
          `${ap}.RetentionDays`,
          `must be a whole number of days (0 = forever), got ${JSON.stringify(days)}`,
        );
      const desc = text(a, 'Description', ap, false);
      return {
        Name: an,
        ...(desc ? { Description: desc } : {}),
        ...(a.EventPattern === undefined
          ? {}
          : { EventPattern: pattern(a.EventPattern, `${ap}.EventPattern`) }),
        RetentionDays: days as number,
      };
    });
    const desc = text(b, 'Description', p, false);
    return { Name: name, ...(desc ? { Description: desc } : {}), Rules: rules, Archives: archives };
  });
  return { Version: 1, ...file, EventBuses: buses };
}

/** Reads and validates a routing file; errors start with the file's path. */
export function loadRoutingFile(path: string): RoutingFile {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new RoutingFileError(path, `cannot read routing file: ${(cause as Error).message}`, {
      cause,
    });
  }
  try {
    return parseRoutingFile(value);
  } catch (e) {
    if (e instanceof RoutingFileError)
      throw new RoutingFileError(`${path}: ${e.path}`, e.message.slice(e.path.length + 2), {
        cause: e,
      });
    throw e;
  }
}

/** The ARN a `Service` target gets: the Lambda function the AWS deployment names `lakewatch-<service>`. */
export function serviceArn(region: string, account: string, service: string): string {
  return `arn:aws:lambda:${region}:${account}:function:lakewatch-${service}`;
}
