/** Base class of every error thrown by `@lakewatch/model-serving`. */
export class ModelServingError extends Error {
  override name = 'ModelServingError';
}

/**
 * The error types SageMaker Runtime's `InvokeEndpoint` answers with, as the AWS SDK names
 * them (`X-Amzn-ErrorType`), and the HTTP status each is sent with.
 */
export const INVOKE_ERROR_STATUS = {
  ValidationError: 400,
  ThrottlingException: 400,
  ModelError: 424,
  ModelNotReadyException: 429,
  InternalFailure: 500,
  ServiceUnavailable: 503,
} as const;

/** One of the SageMaker Runtime error types the server sends. */
export type InvokeErrorType = keyof typeof INVOKE_ERROR_STATUS;

/**
 * A request the model container rejects (the algorithm's own 4xx): a body that is not
 * `entity,ip` pairs, an unsupported content type or accept type, a bad IP address. Through
 * the container contract (`POST /invocations`) it is answered with `statusCode` and the
 * message; through the SageMaker Runtime route it becomes a `ModelError` (424) carrying
 * `OriginalStatusCode` and `OriginalMessage`, as SageMaker wraps a container's error.
 */
export class InvalidRequestError extends ModelServingError {
  override name = 'InvalidRequestError';
  readonly statusCode: number;
  constructor(message: string, options: { statusCode?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.statusCode = options.statusCode ?? 400;
  }
}

/** An error answered by the SageMaker Runtime layer itself, with its SDK error type. */
export class InvokeEndpointError extends ModelServingError {
  override name = 'InvokeEndpointError';
  readonly errorType: InvokeErrorType;
  readonly statusCode: number;
  constructor(errorType: InvokeErrorType, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.errorType = errorType;
    this.statusCode = INVOKE_ERROR_STATUS[errorType];
  }
}

/** Loading a model artifact failed; the server keeps serving the model it had. */
export class ModelLoadError extends ModelServingError {
  override name = 'ModelLoadError';
}
