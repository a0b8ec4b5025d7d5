export {
  EventBusError,
  InputTransformationError,
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
