/** Base class of every error thrown by `@lakewatch/service-kit`. */
export class ServiceKitError extends Error {
  override name = 'ServiceKitError';
}

/** An environment variable is missing or malformed; the message names it and the bad value. */
export class ConfigError extends ServiceKitError {
  override name = 'ConfigError';
}

/** Publishing failed for some entries after the bus's retries. */
export class PublishError extends ServiceKitError {
  override name = 'PublishError';
  readonly failures: readonly { detailType: string; errorCode: string; errorMessage: string }[];
  constructor(failures: PublishError['failures']) {
    const first = failures[0];
    super(
      `${failures.length} event(s) not published: ${first?.detailType} ${first?.errorCode}: ${first?.errorMessage}`,
    );
    this.failures = failures;
  }
}
