/** Base class of the notify service's errors. */
export class NotifyError extends Error {
  override name = 'NotifyError';
}

/** A bad notify config file (targets, secrets); the message names the field. */
export class NotifyConfigError extends NotifyError {
  override name = 'NotifyConfigError';
}

/** A routed input that is not `{route, targets, event}` with a FindingEnriched event. */
export class RoutedInputError extends NotifyError {
  override name = 'RoutedInputError';
}

/**
 * One delivery attempt failed. `code` is what NotificationFailed reports (`http-500`,
 * `timeout`, `unsafe-address`, `rate-limited`, `connection-refused`, …); the message never
 * contains a secret (URLs of secret-bearing targets are not quoted).
 */
export class DeliveryError extends NotifyError {
  override name = 'DeliveryError';
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}
