import { inRange, ipv4Bounds, ipv4Number, parseCidr, parseIp } from './ip.js';
import { checkPatternNumber, isComparable } from './numbers.js';
import type { Leaf } from './types.js';
import { matchWildcard, parseWildcard } from './wildcard.js';

/** A compiled match expression: a test on leaf values, or an existence condition. */
export type Expression =
  | {
      readonly kind: 'test';
      readonly test: (v: Leaf) => boolean;
      /** Wildcard values, for the complexity limit. */
      readonly wildcards?: readonly string[];
    }
  | { readonly kind: 'exists'; readonly exists: boolean };

/** Thrown inside the compiler with the bare reason; the caller wraps it with AWS's prefix. */
export class PatternReason extends Error {
  /** The field path at fault, filled in by the compiler. */
  path: string | undefined;
}

function fail(reason: string): never {
  throw new PatternReason(reason);
}

/** Runs a parser whose own errors (CIDR, wildcard, numbers) are pattern reasons. */
function reason<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof PatternReason) throw e;
    return fail((e as Error).message);
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Jackson's text for a token, used where AWS quotes the offending token. */
function tokenText(v: unknown): string {
  if (Array.isArray(v)) return '[';
  if (isPlainObject(v)) return '{';
  return v === null ? 'null' : String(v);
}

const test = (fn: (v: Leaf) => boolean, wildcards?: readonly string[]): Expression =>
  wildcards === undefined ? { kind: 'test', test: fn } : { kind: 'test', test: fn, wildcards };

function onlyKey(
  obj: Record<string, unknown>,
  message = 'Only one key allowed in match expression',
) {
  if (Object.keys(obj).length > 1) fail(message);
}

const TOO_MANY_NUMERIC = 'Too many elements in numeric expression';

/** Compiles one `{ "<operator>": … }` object of a field's value array. */
export function compileExpression(expr: Record<string, unknown>): Expression {
  const keys = Object.keys(expr);
  const op = keys[0];
  if (op === undefined) return fail('Match expression name not found');
  const value = expr[op];
  switch (op) {
    case 'prefix':
    case 'suffix': {
      if (isPlainObject(value)) {
        const result = ignoreCaseAffix(op, value);
        onlyKey(expr);
        return result;
      }
      if (typeof value !== 'string') fail(`${op} match pattern must be a string`);
      onlyKey(expr);
      return op === 'prefix'
        ? test((v) => typeof v === 'string' && v.startsWith(value))
        : test((v) => typeof v === 'string' && v.endsWith(value));
    }
    case 'equals-ignore-case': {
      if (typeof value !== 'string') fail('equals-ignore-case match pattern must be a string');
      onlyKey(expr);
      const lower = value.toLowerCase();
      return test((v) => typeof v === 'string' && v.toLowerCase() === lower);
    }
    case 'wildcard': {
      if (typeof value !== 'string') fail('wildcard match pattern must be a string');
      const w = reason(() => parseWildcard(value));
      onlyKey(expr);
      return test((v) => typeof v === 'string' && matchWildcard(w, v), [value]);
    }
    case 'numeric': {
      if (!Array.isArray(value)) fail('Value of numeric must be an array.');
      const range = reason(() => numericRange(value));
      onlyKey(expr, TOO_MANY_NUMERIC);
      return range;
    }
    case 'exists': {
      if (typeof value !== 'boolean') fail('exists match pattern must be either true or false.');
      onlyKey(expr);
      return { kind: 'exists', exists: value };
    }
    case 'cidr': {
      // AWS's message for a non-string CIDR really does say "prefix".
      if (typeof value !== 'string') fail('prefix match pattern must be a string');
      const range = reason(() => parseCidr(value));
      onlyKey(expr);
      const v4 = ipv4Bounds(range);
      if (v4 !== undefined) {
        const { low, high } = v4;
        return test((v) => {
          if (typeof v !== 'string') return false;
          const n = ipv4Number(v);
          return n !== undefined && n >= low && n <= high;
        });
      }
      return test((v) => {
        if (typeof v !== 'string' || v.indexOf(':') < 0) return false;
        const ip = parseIp(v);
        return ip !== undefined && inRange(ip, range);
      });
    }
    case 'anything-but': {
      const result = anythingBut(value);
      onlyKey(expr, TOO_MANY_NUMERIC);
      return result;
    }
    default:
      return fail(`Unrecognized match type ${op}`);
  }
}

function ignoreCaseAffix(op: 'prefix' | 'suffix', inner: Record<string, unknown>): Expression {
  const Op = op === 'prefix' ? 'Prefix' : 'Suffix';
  const innerOp = Object.keys(inner)[0];
  if (innerOp === undefined) fail(`${Op} expression name not found`);
  if (innerOp !== 'equals-ignore-case') fail(`Unsupported ${op} pattern: ${innerOp}`);
  const text = inner[innerOp];
  if (typeof text !== 'string') fail('equals-ignore-case match pattern must be a string');
  onlyKey(inner);
  const lower = text.toLowerCase();
  const n = text.length;
  return op === 'prefix'
    ? test((v) => typeof v === 'string' && v.length >= n && v.slice(0, n).toLowerCase() === lower)
    : test(
        (v) =>
          typeof v === 'string' && v.length >= n && v.slice(v.length - n).toLowerCase() === lower,
      );
}

function numericRange(terms: unknown[]): Expression {
  const [op, first, op2, second, ...rest] = terms;
  if (typeof op !== 'string')
    fail(`Invalid member in numeric match: ${terms.length === 0 ? ']' : tokenText(op)}`);
  const num = (v: unknown, name: string): number => {
    if (typeof v !== 'number') fail(`Value of ${name} must be numeric`);
    return checkPatternNumber(v);
  };
  const single = (): void => {
    if (terms.length > 2) fail(TOO_MANY_NUMERIC);
  };
  switch (op) {
    case '=': {
      const n = num(first, 'equals');
      single();
      return test((v) => v === n);
    }
    case '<': {
      const n = num(first, '<');
      single();
      return test((v) => typeof v === 'number' && isComparable(v) && v < n);
    }
    case '<=': {
      const n = num(first, '<=');
      single();
      return test((v) => typeof v === 'number' && isComparable(v) && v <= n);
    }
    case '>':
    case '>=': {
      const low = num(first, op);
      const openLow = op === '>';
      if (terms.length === 2) {
        return openLow
          ? test((v) => typeof v === 'number' && isComparable(v) && v > low)
          : test((v) => typeof v === 'number' && isComparable(v) && v >= low);
      }
      if (typeof op2 !== 'string') fail(`Bad value in numeric range: ${tokenText(op2)}`);
      if (op2 !== '<' && op2 !== '<=') fail(`Bad numeric range operator: ${op2}`);
      const high = num(second, op2);
      if (rest.length > 0) fail('Too many terms in numeric range expression');
      if (low >= high) fail('Bottom must be less than top');
      const openHigh = op2 === '<';
      return test(
        (v) =>
          typeof v === 'number' &&
          isComparable(v) &&
          (openLow ? v > low : v >= low) &&
          (openHigh ? v < high : v <= high),
      );
    }
    default:
      return fail(`Unrecognized numeric range operator: ${op}`);
  }
}

const ANYTHING_BUT_SHAPE = 'Value of anything-but must be an array or single string/number value.';

function anythingBut(value: unknown): Expression {
  if (isPlainObject(value)) {
    const op = Object.keys(value)[0];
    if (op === undefined) fail('Anything-But expression name not found');
    if (op !== 'equals-ignore-case' && op !== 'prefix' && op !== 'suffix' && op !== 'wildcard') {
      fail(`Unsupported anything-but pattern: ${op}`);
    }
    const inner = value[op];
    if (!Array.isArray(inner) && typeof inner !== 'string' && typeof inner !== 'number') {
      fail(ANYTHING_BUT_SHAPE);
    }
    const result = anythingButSet(op, Array.isArray(inner) ? inner : [inner]);
    onlyKey(value, TOO_MANY_NUMERIC);
    return result;
  }
  if (Array.isArray(value)) {
    let strings = 0;
    let numbers = 0;
    for (const v of value) {
      if (typeof v === 'string') strings++;
      else if (typeof v === 'number') numbers++;
      else fail('Inside anything but list, start|null|boolean is not supported.');
    }
    if (strings > 0 === numbers > 0) {
      fail(
        'Inside anything but list, either all values are number or string, mixed type is not supported',
      );
    }
    return numbers > 0
      ? anythingButNumbers(value as number[])
      : anythingButStrings(value as string[]);
  }
  if (typeof value === 'string') return anythingButStrings([value]);
  if (typeof value === 'number') return anythingButNumbers([value]);
  return fail(ANYTHING_BUT_SHAPE);
}

function anythingButStrings(values: string[]): Expression {
  const set = new Set(values);
  return test((v) => !(typeof v === 'string' && set.has(v)));
}

function anythingButNumbers(values: number[]): Expression {
  const set = new Set(reason(() => values.map(checkPatternNumber)));
  // Only a comparable number equal to one of the values fails; strings, null, … pass.
  return test((v) => !(typeof v === 'number' && isComparable(v) && set.has(v)));
}

function anythingButSet(
  op: 'equals-ignore-case' | 'prefix' | 'suffix' | 'wildcard',
  values: unknown[],
): Expression {
  const texts: string[] = [];
  for (const v of values) {
    if (typeof v !== 'string') {
      if (op === 'equals-ignore-case') {
        fail(
          'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.',
        );
      }
      fail(
        op === 'wildcard'
          ? 'wildcard match pattern must be a string'
          : 'prefix/suffix match pattern must be a string',
      );
    }
    if ((op === 'prefix' || op === 'suffix') && v === '') fail('Null prefix/suffix not allowed');
    texts.push(v);
  }
  switch (op) {
    case 'equals-ignore-case': {
      const set = new Set(texts.map((t) => t.toLowerCase()));
      return test((v) => !(typeof v === 'string' && set.has(v.toLowerCase())));
    }
    case 'prefix':
      return test((v) => !(typeof v === 'string' && texts.some((t) => v.startsWith(t))));
    case 'suffix':
      return test((v) => !(typeof v === 'string' && texts.some((t) => v.endsWith(t))));
    case 'wildcard': {
      const ws = texts.map((t) => reason(() => parseWildcard(t)));
      return test((v) => !(typeof v === 'string' && ws.some((w) => matchWildcard(w, v))), texts);
    }
  }
}
