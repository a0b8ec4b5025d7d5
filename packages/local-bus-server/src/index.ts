export type { AccountInfo } from './arns.js';
export { eventBusArn, ruleArn } from './arns.js';
export { callLocalBus, type LocalBusClientOptions } from './client.js';
export type { DeadLetter } from './dead-letters.js';
export type { Engine } from './engine.js';
export { ApiError, LocalBusError, RoutingFileError, StorageError } from './errors.js';
export type { BusEvent } from './event.js';
export type { Target } from './model.js';
export { LOCAL_TARGET_PREFIX } from './ops/dead-letters.js';
export type { LocalBusOptions } from './options.js';
export {
  isExtensionField,
  loadRoutingFile,
  parseRoutingFile,
  type RoutingArchive,
  type RoutingBus,
  type RoutingFile,
  type RoutingRule,
  type RoutingTarget,
  serviceArn,
} from './routing-file.js';
export { type LocalBus, startLocalBus } from './server.js';
export { type Credentials, signSigV4, verifySigV4 } from './sigv4.js';
