/** Base class of every error thrown by `@lakewatch/intel`. */
export class IntelError extends Error {
  override name = 'IntelError';
}

/** A text is not an IP address or CIDR; the message names it. */
export class AddressError extends IntelError {
  override name = 'AddressError';
}
