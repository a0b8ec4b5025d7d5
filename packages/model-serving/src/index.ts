// The public API of @lakewatch/model-serving.

export {
  type RequestFormat,
  type ResponseFormat,
  type ResponseSpec,
  requestFormat,
  responseSpec,
} from './content-types.js';
export {
  INVOKE_ERROR_STATUS,
  InvalidRequestError,
  InvokeEndpointError,
  type InvokeErrorType,
  ModelLoadError,
  ModelServingError,
} from './errors.js';
export { formatPredictions } from './format-response.js';
export { type InvocationResult, invokeModel } from './invoke.js';
export type { ModelLoader, ServableModel } from './model.js';
export { ModelSlot, type ModelSlotEvents, type ModelSlotOptions } from './model-slot.js';
export { isIpAddress, type PairBatch, parseInvocationBody } from './parse-request.js';
export {
  type RunningModelServer,
  type StartModelServerOptions,
  startModelServer,
} from './run.js';
export {
  createModelServer,
  MAX_PAYLOAD_BYTES,
  type ModelServer,
  type ModelServerOptions,
} from './server.js';
