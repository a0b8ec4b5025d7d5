import { InvalidEventError } from '../errors.js';
import { compileBranches, type PatternLimits } from './compile.js';
import { matchBranch } from './evaluate.js';
import type { Branch } from './types.js';

/** A pattern validated and pre-processed once, to test many events. */
export interface CompiledPattern {
  /** Whether the event (an object, or its JSON text) matches the pattern. */
  matches(event: object | string): boolean;
  /** The number of alternatives after every `$or` is multiplied out. */
  readonly combinations: number;
}

function toEvent(event: object | string): unknown {
  if (typeof event !== 'string') return event;
  try {
    return JSON.parse(event);
  } catch (e) {
    throw new InvalidEventError(`event is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
}

class Compiled implements CompiledPattern {
  constructor(private readonly branches: readonly Branch[]) {}

  get combinations(): number {
    return this.branches.length;
  }

  matches(event: object | string): boolean {
    const value = toEvent(event);
    for (const branch of this.branches) {
      if (matchBranch(branch, value)) return true;
    }
    return false;
  }
}

/**
 * Validates an EventBridge event pattern and compiles it for fast repeated matching (the
 * local bus evaluates every rule on every event).
 *
 * @throws {InvalidEventPatternError} worded as EventBridge words it.
 * @example
 * const rule = compilePattern({ source: ['lakewatch.score'], detail: { risk: [{ numeric: ['>=', 70] }] } });
 * if (rule.matches(event)) deliver(event);
 */
export function compilePattern(pattern: object | string, limits?: PatternLimits): CompiledPattern {
  return new Compiled(compileBranches(pattern, limits));
}

/**
 * Checks an event pattern as EventBridge does on PutRule / TestEventPattern.
 *
 * @throws {InvalidEventPatternError} e.g. `Event pattern is not valid. Reason: "source" must be an object or an array`.
 */
export function validatePattern(pattern: object | string, limits?: PatternLimits): void {
  compileBranches(pattern, limits);
}

/**
 * Whether `event` matches `pattern`, with EventBridge's semantics (values matched by JSON
 * type, any element of an event array, dotted keys, array consistency, `$or`).
 * To test many events against one pattern, {@link compilePattern} once instead.
 *
 * @throws {InvalidEventPatternError} when the pattern is invalid.
 */
export function matchesPattern(pattern: object | string, event: object | string): boolean {
  return compilePattern(pattern).matches(event);
}
