import {
  compilePattern,
  InvalidEventPatternError,
  type TargetInput,
  transformInput,
  validateTargetInput,
} from '@lakewatch/eventbus';
import { ApiError } from './errors.js';

/** A compiled event pattern. */
export interface Matcher {
  matches(event: object): boolean;
}

/**
 * Compiles an event pattern with `@lakewatch/eventbus`, turning an invalid pattern into
 * AWS's `InvalidEventPatternException`.
 */
export function compileEventPattern(pattern: string): Matcher {
  try {
    return compilePattern(pattern);
  } catch (e) {
    if (e instanceof InvalidEventPatternError)
      throw new ApiError('InvalidEventPatternException', e.message);
    if (e instanceof SyntaxError)
      throw new ApiError(
        'InvalidEventPatternException',
        `Event pattern is not valid. Reason: ${e.message}`,
      );
    throw e;
  }
}

/** Checks a target's Input / InputPath / InputTransformer as PutTargets does; returns the problem or undefined. */
export function targetInputProblem(target: TargetInput): string | undefined {
  try {
    validateTargetInput(target);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** The body a target receives for `event`. */
export function targetBody(
  target: TargetInput,
  event: object,
  context: { ruleName: string; ruleArn: string; ingestionTime: string },
): string {
  return transformInput(target, event, context);
}
