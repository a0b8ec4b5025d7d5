import { Option } from 'commander';
import { CliError } from '../errors.js';

/** Wraps an AWS SDK failure as a CLI error naming the service call and the AWS error. */
export async function awsCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (cause) {
    if (cause instanceof CliError) throw cause;
    const e = cause as { name?: string; message?: string };
    throw new CliError(`${what}: ${e.name ?? 'Error'}: ${e.message ?? String(cause)}`, { cause });
  }
}

/** A usage error (exit code 2) naming the bad option and value. */
export function usage(message: string): CliError {
  return new CliError(message, { exitCode: 2 });
}

/** Options of {@link pollUntil}. */
export interface PollOptions<T> {
  /** One status read (a Describe/Get call). */
  read: () => Promise<T>;
  /** True when `value` is final (done or failed). */
  done: (value: T) => boolean;
  /** Called after every read, e.g. to print progress. */
  onRead?: (value: T, elapsedMs: number) => void;
  /** Pause between reads. */
  intervalMs: number;
  /**
   * Give up after this long.
   * @default no limit (the services bound their own jobs)
   */
  timeoutMs?: number;
  /** What is being waited for, for the timeout error. */
  what: string;
}

/** Reads a status until it is final, pausing `intervalMs` between reads. */
export async function pollUntil<T>(o: PollOptions<T>): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await o.read();
    const elapsed = Date.now() - started;
    o.onRead?.(value, elapsed);
    if (o.done(value)) return value;
    if (o.timeoutMs !== undefined && elapsed >= o.timeoutMs)
      throw new CliError(`${o.what}: still not finished after ${formatDuration(elapsed)}`);
    await new Promise((r) => setTimeout(r, o.intervalMs));
  }
}

/** `83_000` → `1m23s`. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** Parses `--poll-interval` (seconds, decimals allowed) to milliseconds. */
export function parsePollInterval(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw usage(`--poll-interval must be a positive number of seconds, got '${value}'`);
  return Math.round(n * 1000);
}

/** `--poll-interval <seconds>` (held in milliseconds), its default shown in seconds. */
export function pollIntervalOption(defaultSeconds: number, prefix = ''): Option {
  return new Option('--poll-interval <seconds>', `${prefix}seconds between status reads`)
    .argParser(parsePollInterval)
    .default(defaultSeconds * 1000, String(defaultSeconds));
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** Checks an AWS region name such as `us-east-1`. */
export function requireRegion(region: string | undefined): string {
  if (!region) throw usage('--region is required (or set AWS_REGION), e.g. --region us-east-1');
  if (!REGION.test(region))
    throw usage(`--region is not an AWS region like us-east-1: '${region}'`);
  return region;
}

/** `s3://bucket/key` split; `what` names the option in errors. */
export function parseS3(uri: string | undefined, what: string): { bucket: string; key: string } {
  if (!uri) throw usage(`${what} is required: an s3://bucket/key URI`);
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(uri);
  if (!m?.[1]) throw usage(`${what} must be an s3://bucket/key URI, got '${uri}'`);
  return { bucket: m[1], key: m[2] ?? '' };
}

/** A name AWS accepts for jobs, models and replays: `<prefix>-YYYYMMDD-HHMMSS`. */
export function timestampedName(prefix: string, now = new Date()): string {
  const t = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${prefix}-${t}`;
}

/** Parses an ISO 8601 time option. */
export function parseTime(value: string | undefined, what: string): Date | undefined {
  if (value === undefined) return undefined;
  const d = new Date(value);
  if (Number.isNaN(d.getTime()))
    throw usage(`${what} must be an ISO 8601 time such as 2024-05-01T00:00:00Z, got '${value}'`);
  return d;
}
