/** Base class of every error thrown by the enrich service. */
export class EnrichError extends Error {
  override name = 'EnrichError';
}

/** The finding built for an anomaly is not a valid OCSF Detection Finding (a bug: never published). */
export class InvalidFindingError extends EnrichError {
  override name = 'InvalidFindingError';
}
