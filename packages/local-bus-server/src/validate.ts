import { validationError } from './errors.js';

/** A decoded JSON request body. */
export type Input = Record<string, unknown>;

/** Options for {@link str}. */
export interface StrOptions {
  required?: boolean;
  max?: number;
  pattern?: RegExp;
}

const NAME_RE = /^[.\-_A-Za-z0-9]+$/;
/** AWS's pattern for rule, archive and replay names. */
export const RESOURCE_NAME = NAME_RE;

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/** A string parameter, validated with AWS's message shape. */
export function str(input: Input, key: string, opts: StrOptions = {}): string | undefined {
  const v = input[key];
  if (v === undefined || v === null) {
    if (opts.required)
      throw validationError(
        `1 validation error detected: Value null at '${lowerFirst(key)}' failed to satisfy constraint: Member must not be null`,
      );
    return undefined;
  }
  if (typeof v !== 'string')
    throw validationError(`Parameter ${key} must be a string, got ${typeof v}`);
  if (opts.max !== undefined && v.length > opts.max)
    throw validationError(
      `1 validation error detected: Value '${v}' at '${lowerFirst(key)}' failed to satisfy constraint: Member must have length less than or equal to ${opts.max}`,
    );
  if (opts.required && v.length === 0)
    throw validationError(
      `1 validation error detected: Value '' at '${lowerFirst(key)}' failed to satisfy constraint: Member must have length greater than or equal to 1`,
    );
  if (opts.pattern && !opts.pattern.test(v))
    throw validationError(
      `1 validation error detected: Value '${v}' at '${lowerFirst(key)}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${opts.pattern.source.replace(/^\^|\$$/g, '')}`,
    );
  return v;
}

/** A required resource name (rule, archive, replay, bus). */
export function name(input: Input, key: string, max = 64): string {
  return str(input, key, { required: true, max, pattern: NAME_RE }) as string;
}

/** An optional array parameter. */
export function arr(input: Input, key: string): unknown[] | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw validationError(`Parameter ${key} must be a list`);
  return v;
}

/** An optional timestamp (the JSON 1.1 protocol sends epoch seconds) as milliseconds. */
export function time(input: Input, key: string): number | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return Math.round(v * 1000);
  if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) return Date.parse(v);
  throw validationError(`Parameter ${key} is not a valid timestamp: ${JSON.stringify(v)}`);
}

/** An optional integer in [min, max]. */
export function int(input: Input, key: string, min: number, max: number): number | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    throw validationError(
      `1 validation error detected: Value '${String(v)}' at '${lowerFirst(key)}' failed to satisfy constraint: Member must be an integer from ${min} to ${max}`,
    );
  return v;
}

/** Pages `items` with AWS-style `NextToken` / `Limit`. */
export function paginate<T>(items: T[], input: Input): { page: T[]; nextToken?: string } {
  const limit = int(input, 'Limit', 1, 100) ?? 100;
  const token = str(input, 'NextToken');
  let start = 0;
  if (token) {
    start = Number(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0)
      throw validationError(`The NextToken '${token}' is not valid.`);
  }
  const page = items.slice(start, start + limit);
  const next = start + limit;
  return next < items.length
    ? { page, nextToken: Buffer.from(String(next)).toString('base64url') }
    : { page };
}

/** Seconds since the epoch, as the JSON 1.1 protocol encodes timestamps. */
export function epoch(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : ms / 1000;
}
