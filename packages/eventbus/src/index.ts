export type { SplitOptions } from './bus/batches.js';
export {
  MAX_PUT_EVENTS_BYTES,
  MAX_PUT_EVENTS_ENTRIES,
  putEventsEntrySize,
} from './bus/entry-size.js';
export { EventBridgeBus, type EventBridgeBusOptions } from './bus/eventbridge-bus.js';
export {
  type BusEvent,
  InMemoryBus,
  type InMemoryBusOptions,
  type InMemoryRule,
} from './bus/in-memory-bus.js';
export type { EventBus, PublishEntryResult, PublishResult, PutEventsEntry } from './bus/port.js';
export {
  publishWithRetries,
  type RetryOptions,
  type SendBatch,
  type SentEntry,
} from './bus/publisher.js';
export {
  EventBusError,
  HandlerFailedError,
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
  type CompiledTargetInput,
  compileTargetInput,
  type TransformContext,
  transformInput,
} from './transform/input.js';
export { type TargetInput, validateTargetInput } from './transform/validate.js';
