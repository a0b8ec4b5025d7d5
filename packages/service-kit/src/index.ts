export {
  boolean,
  decimal,
  type Env,
  integer,
  oneOf,
  optionalString,
  requiredString,
  url,
} from './env.js';
export { ConfigError, PublishError, ServiceKitError } from './errors.js';
export {
  FileIdempotencyStore,
  type IdempotencyOptions,
  type IdempotencyStore,
  MemoryIdempotencyStore,
  type OnceOutcome,
} from './idempotency.js';
export {
  eventBridgeHandler,
  type SqsBatchResponse,
  type SqsEvent,
  sqsBatchHandler,
} from './lambda.js';
export { createLogger, REDACTED_PATHS } from './logger.js';
export { ContractPublisher, type Outgoing, type PublisherOptions } from './publisher.js';
export {
  type JsonRoute,
  runUntilSignalled,
  startTargetServer,
  type TargetServer,
  type TargetServerOptions,
} from './target-server.js';
