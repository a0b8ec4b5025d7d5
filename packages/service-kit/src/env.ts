import { ConfigError } from './errors.js';

/** The environment a service reads: `process.env` in `config.ts`, a plain object in tests. */
export type Env = Readonly<Record<string, string | undefined>>;

function raw(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

/** A required string. @throws ConfigError naming the variable when it is unset. */
export function requiredString(env: Env, name: string): string {
  const v = raw(env, name);
  if (v === undefined) throw new ConfigError(`${name} is required but not set`);
  return v;
}

/** An optional string with its default. */
export function optionalString(env: Env, name: string, fallback: string): string;
export function optionalString(env: Env, name: string): string | undefined;
export function optionalString(env: Env, name: string, fallback?: string): string | undefined {
  return raw(env, name) ?? fallback;
}

/** A whole number within [min, max]. @throws ConfigError naming the variable and the value. */
export function integer(
  env: Env,
  name: string,
  options: { default: number; min?: number; max?: number },
): number {
  const v = raw(env, name);
  if (v === undefined) return options.default;
  const n = Number(v);
  const min = options.min ?? Number.MIN_SAFE_INTEGER;
  const max = options.max ?? Number.MAX_SAFE_INTEGER;
  if (!/^-?\d+$/.test(v) || n < min || n > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got '${v}'`);
  }
  return n;
}

/** A number within [min, max]. */
export function decimal(
  env: Env,
  name: string,
  options: { default: number; min?: number; max?: number },
): number {
  const v = raw(env, name);
  if (v === undefined) return options.default;
  const n = Number(v);
  const min = options.min ?? -Number.MAX_VALUE;
  const max = options.max ?? Number.MAX_VALUE;
  if (!Number.isFinite(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be a number from ${min} to ${max}, got '${v}'`);
  }
  return n;
}

/** `true`/`false` (also `1`/`0`, `yes`/`no`). */
export function boolean(env: Env, name: string, fallback: boolean): boolean {
  const v = raw(env, name)?.toLowerCase();
  if (v === undefined) return fallback;
  if (['true', '1', 'yes'].includes(v)) return true;
  if (['false', '0', 'no'].includes(v)) return false;
  throw new ConfigError(`${name} must be true or false, got '${v}'`);
}

/** One of a fixed set of words. */
export function oneOf<T extends string>(
  env: Env,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const v = raw(env, name);
  if (v === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(v)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got '${v}'`);
  }
  return v as T;
}

/** An http(s) URL. */
export function url(env: Env, name: string, fallback?: string): string | undefined {
  const v = raw(env, name) ?? fallback;
  if (v === undefined) return undefined;
  try {
    const u = new URL(v);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    throw new ConfigError(`${name} must be an http(s) URL, got '${v}'`);
  }
  return v;
}
