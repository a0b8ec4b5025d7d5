export {
  EventBusError,
  InvalidEventError,
  InvalidEventPatternError,
  InvalidTargetInputError,
} from './errors.js';
export type { PatternLimits } from './pattern/compile.js';
export {
  type CompiledPattern,
  compilePattern,
  matchesPattern,
  validatePattern,
} from './pattern/matcher.js';
export {
  type TargetInput,
  type TransformContext,
  transformInput,
  validateTargetInput,
} from './transform/input.js';
