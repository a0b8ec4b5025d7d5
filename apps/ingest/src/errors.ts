/** Base class of the ingest service's errors. */
export class IngestError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IngestError';
  }
}

/**
 * A log object could not be read at all (missing, unreadable, unknown format): the trigger
 * fails so that it is delivered again (SQS partial batch failure, HTTP 500). Names the object.
 */
export class ObjectReadError extends IngestError {
  constructor(
    readonly uri: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${uri}: ${message}`, options);
    this.name = 'ObjectReadError';
  }
}

/** A trigger (SQS message body, HTTP request) is not one this service understands. */
export class TriggerError extends IngestError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TriggerError';
  }
}
