/** Base class of every error the local bus throws. */
export class LocalBusError extends Error {
  override name = 'LocalBusError';
}

/**
 * An error the EventBridge API returns to the client: serialized as `{"__type", "message"}`
 * with `status`, exactly as the AWS SDK parses it (`err.name === type`).
 */
export class ApiError extends LocalBusError {
  override name = 'ApiError';
  readonly type: string;
  readonly status: number;
  constructor(type: string, message: string, status = 400) {
    super(message);
    this.type = type;
    this.status = status;
  }
}

/** A routing file that cannot be used; `path` names the offending field (`EventBuses[0].Rules[1].Name`). */
export class RoutingFileError extends LocalBusError {
  override name = 'RoutingFileError';
  readonly path: string;
  constructor(path: string, message: string, options: { cause?: unknown } = {}) {
    super(path ? `${path}: ${message}` : message, options);
    this.path = path;
  }
}

/** The data directory cannot be read or written. */
export class StorageError extends LocalBusError {
  override name = 'StorageError';
}

/** `ValidationException` with AWS's wording. */
export function validationError(message: string): ApiError {
  return new ApiError('ValidationException', message);
}

/** `ResourceNotFoundException` with AWS's wording. */
export function notFound(message: string): ApiError {
  return new ApiError('ResourceNotFoundException', message);
}
