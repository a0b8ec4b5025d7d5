/** Base class of the local-bus app's errors (bad configuration). */
export class LocalBusAppError extends Error {
  override name = 'LocalBusAppError';
}
