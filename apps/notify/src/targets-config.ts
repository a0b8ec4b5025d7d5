import { readFileSync } from 'node:fs';
import type { Env } from '@lakewatch/service-kit';
import { NotifyConfigError } from './errors.js';

/** Target kinds, as NotificationDelivered/Failed name them. */
export type TargetKind =
  | 'slack'
  | 'webhook'
  | 'splunk-hec'
  | 'elasticsearch'
  | 'syslog-cef'
  | 'sns'
  | 'email'
  | 'file';

/** Delivery policy of a target; every field has a default in the config file's `defaults`. */
export interface DeliveryPolicy {
  /** Attempts before NotificationFailed. @default 4 */
  maxAttempts: number;
  /** Backoff before attempt n+1: `backoffBaseMs · 2^(n-1)` with jitter, capped. @default 500 */
  backoffBaseMs: number;
  /** @default 30000 */
  backoffMaxMs: number;
  /** Per attempt. @default 10000 */
  timeoutMs: number;
  /** Suppression window per (entity, IP, route, target); 0 = only exact duplicates. @default 3600 */
  suppressionSeconds: number;
  /** Token bucket: sustained rate. @default 60 */
  ratePerMinute: number;
  /** Token bucket size. @default 10 */
  burst: number;
  /** How long a send waits for a token before failing `rate-limited`. @default 30000 */
  maxQueueMs: number;
  /** Unsafe addresses (loopback, private, link-local) this target may reach. @default [] */
  allowAddresses: string[];
}

interface Base extends DeliveryPolicy {
  id: string;
}
/** A resolved target definition (secrets read). */
export type TargetDef = Base &
  (
    | { kind: 'slack'; url: string }
    | { kind: 'webhook'; url: string; signingSecret?: string; headers: Record<string, string> }
    | { kind: 'splunk-hec'; url: string; token: string; index?: string; sourcetype?: string }
    | {
        kind: 'elasticsearch';
        url: string;
        index: string;
        apiKey?: string;
        username?: string;
        password?: string;
      }
    | {
        kind: 'syslog-cef';
        host: string;
        port: number;
        protocol: 'udp' | 'tcp';
        format: 'rfc5424' | 'rfc3164';
        facility: number;
        hostname: string;
      }
    | { kind: 'sns'; topicArn: string; region?: string }
    | {
        kind: 'email';
        host: string;
        port: number;
        secure: boolean;
        requireTls: boolean;
        from: string;
        to: string[];
        username?: string;
        password?: string;
      }
    | { kind: 'file'; path: string }
  );

/** The notify config file, resolved. */
export interface NotifyTargets {
  targets: Map<string, TargetDef>;
  /** Every secret value read, so callers can check logs never contain them. */
  secrets: string[];
}

type Obj = Record<string, unknown>;
const KINDS = new Set<string>([
  'slack',
  'webhook',
  'splunk-hec',
  'elasticsearch',
  'syslog-cef',
  'sns',
  'email',
  'file',
]);

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Reader {
  readonly secrets: string[] = [];
  constructor(
    private readonly file: string,
    private readonly env: Env,
  ) {}

  fail(path: string, msg: string): never {
    throw new NotifyConfigError(`${this.file}: ${path}: ${msg}`);
  }

  str(o: Obj, key: string, path: string): string | undefined {
    const v = o[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v === '')
      this.fail(`${path}.${key}`, 'must be a non-empty string');
    return v;
  }

  reqStr(o: Obj, key: string, path: string): string {
    return this.str(o, key, path) ?? this.fail(`${path}.${key}`, 'is required');
  }

  num(o: Obj, key: string, path: string, min: number, max: number, def: number): number {
    const v = o[key];
    if (v === undefined) return def;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      this.fail(
        `${path}.${key}`,
        `must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}`,
      );
    }
    return v;
  }

  /**
   * A secret: `{"secretEnv": "NAME"}` reads `NAME` from the environment, or the file named
   * by `NAME_FILE`; a plain string is allowed only where `plainOk`.
   */
  secret(o: Obj, key: string, path: string, plainOk: boolean): string | undefined {
    const v = o[key];
    if (v === undefined) return undefined;
    if (typeof v === 'string' && plainOk && v !== '') return v;
    if (!isObj(v) || typeof v.secretEnv !== 'string' || !/^[A-Z_][A-Z0-9_]*$/.test(v.secretEnv)) {
      this.fail(
        `${path}.${key}`,
        `must be {"secretEnv": "NAME"} (read from NAME or the file NAME_FILE)${plainOk ? ' or a string' : ''}`,
      );
    }
    const name = v.secretEnv;
    let value = this.env[name];
    const file = this.env[`${name}_FILE`];
    if ((value === undefined || value === '') && file) {
      try {
        value = readFileSync(file, 'utf8').trim();
      } catch (e) {
        this.fail(
          `${path}.${key}`,
          `cannot read ${name}_FILE (${(e as NodeJS.ErrnoException).code})`,
        );
      }
    }
    if (value === undefined || value === '') {
      this.fail(`${path}.${key}`, `environment variable ${name} (or ${name}_FILE) is not set`);
    }
    this.secrets.push(value);
    return value;
  }

  policy(o: Obj, path: string, d: DeliveryPolicy): DeliveryPolicy {
    const allow = o.allowAddresses ?? d.allowAddresses;
    if (!Array.isArray(allow) || allow.some((a) => typeof a !== 'string')) {
      this.fail(`${path}.allowAddresses`, 'must be an array of IP addresses');
    }
    return {
      maxAttempts: this.num(o, 'maxAttempts', path, 1, 20, d.maxAttempts),
      backoffBaseMs: this.num(o, 'backoffBaseMs', path, 0, 600_000, d.backoffBaseMs),
      backoffMaxMs: this.num(o, 'backoffMaxMs', path, 0, 3_600_000, d.backoffMaxMs),
      timeoutMs: this.num(o, 'timeoutMs', path, 1, 600_000, d.timeoutMs),
      suppressionSeconds: this.num(
        o,
        'suppressionSeconds',
        path,
        0,
        30 * 86400,
        d.suppressionSeconds,
      ),
      ratePerMinute: this.num(o, 'ratePerMinute', path, 1, 600_000, d.ratePerMinute),
      burst: this.num(o, 'burst', path, 1, 10_000, d.burst),
      maxQueueMs: this.num(o, 'maxQueueMs', path, 0, 3_600_000, d.maxQueueMs),
      allowAddresses: allow as string[],
    };
  }
}

/** Defaults of every target's {@link DeliveryPolicy}. */
export const DEFAULT_POLICY: DeliveryPolicy = {
  maxAttempts: 4,
  backoffBaseMs: 500,
  backoffMaxMs: 30_000,
  timeoutMs: 10_000,
  suppressionSeconds: 3600,
  ratePerMinute: 60,
  burst: 10,
  maxQueueMs: 30_000,
  allowAddresses: [],
};

function httpUrl(r: Reader, url: string, path: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return r.fail(path, 'is not a URL');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') r.fail(path, 'must be http(s)');
  return url;
}

function target(r: Reader, id: string, o: Obj, d: DeliveryPolicy): TargetDef {
  const path = `targets.${id}`;
  const kind = o.kind;
  if (typeof kind !== 'string' || !KINDS.has(kind)) {
    r.fail(`${path}.kind`, `must be one of ${[...KINDS].join(', ')}, got ${JSON.stringify(kind)}`);
  }
  const base = { id, ...r.policy(o, path, d) };
  switch (kind) {
    case 'slack':
      // The webhook URL is the credential: only from a secret.
      return {
        ...base,
        kind,
        url: httpUrl(
          r,
          r.secret(o, 'url', path, false) ?? r.fail(`${path}.url`, 'is required'),
          `${path}.url`,
        ),
      };
    case 'webhook': {
      const headers = o.headers ?? {};
      if (!isObj(headers) || Object.values(headers).some((v) => typeof v !== 'string')) {
        r.fail(`${path}.headers`, 'must map header names to strings');
      }
      const signingSecret = r.secret(o, 'signingSecret', path, false);
      return {
        ...base,
        kind,
        url: httpUrl(
          r,
          r.secret(o, 'url', path, true) ?? r.fail(`${path}.url`, 'is required'),
          `${path}.url`,
        ),
        headers: headers as Record<string, string>,
        ...(signingSecret !== undefined && { signingSecret }),
      };
    }
    case 'splunk-hec': {
      const index = r.str(o, 'index', path);
      const sourcetype = r.str(o, 'sourcetype', path);
      return {
        ...base,
        kind,
        url: httpUrl(r, r.reqStr(o, 'url', path), `${path}.url`),
        token: r.secret(o, 'token', path, false) ?? r.fail(`${path}.token`, 'is required'),
        ...(index !== undefined && { index }),
        ...(sourcetype !== undefined && { sourcetype }),
      };
    }
    case 'elasticsearch': {
      const apiKey = r.secret(o, 'apiKey', path, false);
      const username = r.str(o, 'username', path);
      const password = r.secret(o, 'password', path, false);
      return {
        ...base,
        kind,
        url: httpUrl(r, r.reqStr(o, 'url', path), `${path}.url`),
        index: r.reqStr(o, 'index', path),
        ...(apiKey !== undefined && { apiKey }),
        ...(username !== undefined && { username }),
        ...(password !== undefined && { password }),
      };
    }
    case 'syslog-cef': {
      const protocol = o.protocol ?? 'udp';
      if (protocol !== 'udp' && protocol !== 'tcp')
        r.fail(`${path}.protocol`, 'must be udp or tcp');
      const format = o.format ?? 'rfc5424';
      if (format !== 'rfc5424' && format !== 'rfc3164') {
        r.fail(`${path}.format`, 'must be rfc5424 or rfc3164');
      }
      return {
        ...base,
        kind,
        host: r.reqStr(o, 'host', path),
        port: r.num(o, 'port', path, 1, 65535, 514),
        protocol,
        format,
        facility: r.num(o, 'facility', path, 0, 23, 10),
        hostname: r.str(o, 'hostname', path) ?? 'lakewatch',
      };
    }
    case 'sns': {
      const topicArn = r.reqStr(o, 'topicArn', path);
      if (!/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+(\.fifo)?$/.test(topicArn)) {
        r.fail(`${path}.topicArn`, `is not an SNS topic ARN: ${topicArn}`);
      }
      const region = r.str(o, 'region', path);
      return { ...base, kind, topicArn, ...(region !== undefined && { region }) };
    }
    case 'email': {
      const to = o.to;
      if (!Array.isArray(to) || to.length === 0 || to.some((t) => typeof t !== 'string')) {
        r.fail(`${path}.to`, 'must be a non-empty array of addresses');
      }
      const username = r.str(o, 'username', path);
      const password = r.secret(o, 'password', path, false);
      return {
        ...base,
        kind,
        host: r.reqStr(o, 'host', path),
        port: r.num(o, 'port', path, 1, 65535, 587),
        secure: o.secure === true,
        requireTls: o.requireTls !== false,
        from: r.reqStr(o, 'from', path),
        to: to as string[],
        ...(username !== undefined && { username }),
        ...(password !== undefined && { password }),
      };
    }
    default:
      return { ...base, kind: 'file', path: r.reqStr(o, 'path', path) };
  }
}

/**
 * Parses a notify config file (`{"defaults": {...policy}, "targets": {"<id>": {...}}}`, see
 * README) and reads its secrets from `env` (`NAME` or the file `NAME_FILE`).
 * @throws NotifyConfigError naming the file and field.
 */
export function parseNotifyTargets(
  value: unknown,
  env: Env,
  file = 'notify config',
): NotifyTargets {
  const r: Reader = new Reader(file, env);
  if (!isObj(value)) r.fail('(root)', 'must be an object');
  const defaults = value.defaults ?? {};
  if (!isObj(defaults)) r.fail('defaults', 'must be an object');
  const policy = r.policy(defaults, 'defaults', DEFAULT_POLICY);
  const targets = value.targets;
  if (!isObj(targets)) r.fail('targets', 'must be an object of target id → definition');
  const map = new Map<string, TargetDef>();
  for (const [id, def] of Object.entries(targets)) {
    if (!/^[A-Za-z0-9._-]{1,128}$/.test(id))
      r.fail(`targets.${id}`, 'id must be 1–128 of A-Z a-z 0-9 . _ -');
    if (!isObj(def)) r.fail(`targets.${id}`, 'must be an object');
    map.set(id, target(r, id, def, policy));
  }
  return { targets: map, secrets: r.secrets };
}

/** Reads and parses a notify config file. */
export function loadNotifyTargets(path: string, env: Env): NotifyTargets {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new NotifyConfigError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new NotifyConfigError(`${path}: not JSON: ${(e as Error).message}`);
  }
  return parseNotifyTargets(value, env, path);
}
