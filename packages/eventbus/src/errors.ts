/** Base class of every error thrown by `@lakewatch/eventbus`. */
export class EventBusError extends Error {
  override name = 'EventBusError';
}

/**
 * An event pattern that EventBridge would reject. The message is worded as AWS words it
 * (`Event pattern is not valid. Reason: …`); `reason` holds the part after `Reason: `.
 */
export class InvalidEventPatternError extends EventBusError {
  override name = 'InvalidEventPatternError';
  /** The reason alone, e.g. `"string" must be an object or an array`. */
  readonly reason: string;
  /** The dotted path of the field whose values are at fault, when there is one (not in AWS's message). */
  readonly path: string | undefined;

  constructor(reason: string, options?: { cause?: unknown; path?: string }) {
    super(`Event pattern is not valid. Reason: ${reason}`, options);
    this.reason = reason;
    this.path = options?.path;
  }
}

/**
 * A target's `Input`, `InputPath` or `InputTransformer` that PutTargets would reject
 * (AWS answers these with a `ValidationException`); the message is worded as AWS words it.
 */
export class InvalidTargetInputError extends EventBusError {
  override name = 'InvalidTargetInputError';
}

/** An event given as text that is not a JSON object. */
export class InvalidEventError extends EventBusError {
  override name = 'InvalidEventError';
}

/** One or more handlers of the in-memory bus threw. */
export class HandlerFailedError extends EventBusError {
  override name = 'HandlerFailedError';
  constructor(readonly failures: readonly { rule: string; eventId: string; error: unknown }[]) {
    const first = failures[0];
    super(
      `${failures.length} handler(s) failed; first: rule '${first?.rule}' on event ${first?.eventId}: ${(first?.error as Error | undefined)?.message}`,
      { cause: first?.error },
    );
  }
}
