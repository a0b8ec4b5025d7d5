import { InvalidEventPatternError } from '../errors.js';
import { wildcardComplexity } from './complexity.js';
import { compileExpression, PatternReason } from './expressions.js';
import { looksLikeIp, parseIp } from './ip.js';
import { parsePatternText } from './json-text.js';
import type { Branch, FieldCondition, Leaf } from './types.js';

/** Limits EventBridge puts on a pattern, beyond its grammar. */
export interface PatternLimits {
  /**
   * Longest pattern, in characters of its JSON text (an object is measured as `JSON.stringify`).
   * @default 2048 — the EventBridge default quota (adjustable to 4096)
   */
  maxLength?: number;
  /**
   * Most alternatives a pattern may expand to once every `$or` is multiplied out.
   * @default 1000
   */
  maxCombinations?: number;
  /**
   * Most wildcard-pattern states one value may keep alive in a field (event-ruler's machine
   * complexity); beyond it EventBridge answers "Rule is too complex".
   * @default 10
   */
  maxWildcardComplexity?: number;
}

const DEFAULT_MAX_LENGTH = 2048;
const DEFAULT_MAX_COMBINATIONS = 1000;
const DEFAULT_MAX_WILDCARD_COMPLEXITY = 10;
const TOO_COMPLEX =
  'Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character';

/** What the compiler carries while it walks a pattern. */
interface Context {
  readonly maxCombinations: number;
  /** Wildcard values per field path, over every alternative. */
  readonly wildcards: Map<string, string[]>;
}

// Names Ruler reserves for operators; they cannot be field names inside `$or`.
const RESERVED_IN_OR = new Set([
  'exactly',
  'equals-ignore-case',
  'prefix',
  'suffix',
  'anything-but',
  'exists',
  'wildcard',
  'numeric',
  'cidr',
  'html',
  '=',
  '<',
  '<=',
  '>',
  '>=',
  'regex',
  'not-wildcard',
  'not-equals-ignore-case',
  'date-after',
  'date-on-or-after',
  'date-before',
  'date-on-or-before',
  'in-date-range',
  'ip-address-in-range',
  'ip-address-not-in-range',
]);

type Draft = Map<string, FieldCondition>;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(reason: string): never {
  throw new PatternReason(reason);
}

/**
 * Validates a pattern and compiles it into its alternatives (one per `$or` combination).
 * Throws {@link InvalidEventPatternError} worded as EventBridge words it.
 */
export function compileBranches(pattern: object | string, limits: PatternLimits = {}): Branch[] {
  const maxLength = limits.maxLength ?? DEFAULT_MAX_LENGTH;
  const maxCombinations = limits.maxCombinations ?? DEFAULT_MAX_COMBINATIONS;
  try {
    const text = typeof pattern === 'string' ? pattern : JSON.stringify(pattern);
    if (text === undefined) fail('Filter is not an object');
    if (text.length > maxLength) {
      fail(`Event pattern is ${text.length} characters long, more than the limit of ${maxLength}`);
    }
    const value = typeof pattern === 'string' ? parsePatternText(pattern) : pattern;
    if (!isPlainObject(value)) fail('Filter is not an object');
    const drafts: Draft[] = [];
    const ctx: Context = { maxCombinations, wildcards: new Map() };
    parseObject(drafts, [], value, false, ctx);
    const maxComplexity = limits.maxWildcardComplexity ?? DEFAULT_MAX_WILDCARD_COMPLEXITY;
    for (const values of ctx.wildcards.values()) {
      if (wildcardComplexity(values, maxComplexity) > maxComplexity) fail(TOO_COMPLEX);
    }
    return drafts.map((d) => ({ fields: [...d.values()].sort(byCost) }));
  } catch (e) {
    if (e instanceof PatternReason) {
      throw new InvalidEventPatternError(e.message, e.path === undefined ? {} : { path: e.path });
    }
    throw e;
  }
}

function parseObject(
  drafts: Draft[],
  path: string[],
  obj: Record<string, unknown>,
  insideOr: boolean,
  ctx: Context,
): void {
  let present = false;
  for (const key of Object.keys(obj)) {
    present = true;
    const value = obj[key];
    if (key === '$or') {
      parseOr(drafts, path, value, ctx);
      continue;
    }
    if (insideOr && RESERVED_IN_OR.has(key)) {
      fail(`${key} is Ruler reserved fieldName which cannot be used inside $or.`);
    }
    if (isPlainObject(value)) {
      parseObject(drafts, [...path, key], value, insideOr, ctx);
    } else if (Array.isArray(value)) {
      writeField(drafts, [...path, key], value, ctx);
    } else {
      const reason = new PatternReason(`"${key}" must be an object or an array`);
      reason.path = [...path, key].join('.');
      throw reason;
    }
  }
  if (!present) fail('Empty objects are not allowed');
}

/** Multiplies the drafts by the alternatives of a `$or`, in place. */
function parseOr(drafts: Draft[], path: string[], value: unknown, ctx: Context): void {
  if (!Array.isArray(value)) fail('It must be an Array followed with $or.');
  const result: Draft[] = [];
  for (const alternative of value) {
    if (!isPlainObject(alternative)) {
      fail('Only JSON object is allowed in array of $or relationship.');
    }
    const copies: Draft[] = drafts.length === 0 ? [new Map()] : drafts.map((d) => new Map(d));
    parseObject(copies, path, alternative, true, ctx);
    result.push(...copies);
    if (result.length > ctx.maxCombinations) {
      fail(
        `The event pattern has more than ${ctx.maxCombinations} combinations of $or alternatives`,
      );
    }
  }
  if (value.length < 2) fail('There must have at least 2 Objects in $or relationship.');
  drafts.length = 0;
  drafts.push(...result);
}

/**
 * Fields are ANDed, so their order is free: test the cheap, selective ones first (exact values
 * on short paths such as `source` and `detail-type`) and the absence-tolerant ones last.
 */
function byCost(a: FieldCondition, b: FieldCondition): number {
  const cost = (f: FieldCondition): number =>
    f.keys.length * 2 + (f.exactOnly ? 0 : 1) + (f.orAbsent ? 100 : 0);
  return cost(a) - cost(b);
}

function joinedKeys(segments: readonly string[]): string[][] {
  return segments.map((_, i) =>
    segments.slice(i).map((__, k) => segments.slice(i, i + k + 1).join('.')),
  );
}

function writeField(drafts: Draft[], segments: string[], values: unknown[], ctx: Context): void {
  try {
    compileField(drafts, segments, values, ctx);
  } catch (e) {
    if (e instanceof PatternReason) e.path ??= segments.join('.');
    throw e;
  }
}

function compileField(drafts: Draft[], segments: string[], values: unknown[], ctx: Context): void {
  const tests: ((v: Leaf) => boolean)[] = [];
  const exact = new Set<Leaf>();
  const ips: Uint8Array[] = [];
  let orAbsent = false;
  for (const v of values) {
    if (isPlainObject(v)) {
      const expr = compileExpression(v);
      if (expr.kind === 'test') {
        tests.push(expr.test);
        if (expr.wildcards !== undefined) {
          const path = segments.join('.');
          ctx.wildcards.set(path, [...(ctx.wildcards.get(path) ?? []), ...expr.wildcards]);
        }
      } else if (expr.exists) tests.push(() => true);
      else orAbsent = true;
    } else if (typeof v === 'string') {
      const ip = looksLikeIp(v) ? parseIp(v) : undefined;
      if (ip !== undefined) ips.push(ip);
      else exact.add(v);
    } else if (typeof v === 'number' || typeof v === 'boolean' || v === null) {
      exact.add(v);
    } else {
      fail('Match value must be String, number, true, false, or null');
    }
  }
  if (values.length === 0) fail('Empty arrays are not allowed');
  if (ips.length > 0) tests.unshift(ipTest(ips));
  if (exact.size > 0) tests.unshift((v) => exact.has(v));
  const field: FieldCondition = {
    path: segments.join('.'),
    keys: joinedKeys(segments.join('.').split('.')),
    test: anyOf(tests),
    orAbsent,
    exactOnly: tests.length === 1 && exact.size > 0,
  };
  if (drafts.length === 0) drafts.push(new Map());
  // A path written twice keeps its last values, as EventBridge does.
  for (const d of drafts) d.set(field.path, field);
}

function ipTest(ips: Uint8Array[]): (v: Leaf) => boolean {
  return (v) => {
    if (typeof v !== 'string') return false;
    const ip = looksLikeIp(v) ? parseIp(v) : undefined;
    if (ip === undefined) return false;
    return ips.some((p) => p.length === ip.length && p.every((b, i) => b === ip[i]));
  };
}

function anyOf(tests: ((v: Leaf) => boolean)[]): (v: Leaf) => boolean {
  if (tests.length === 0) return () => false;
  if (tests.length === 1) return tests[0] as (v: Leaf) => boolean;
  return (v) => {
    for (const t of tests) if (t(v)) return true;
    return false;
  };
}
