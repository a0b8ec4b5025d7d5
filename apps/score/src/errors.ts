/** Base class of every error thrown by the score service. */
export class ScoreError extends Error {
  override name = 'ScoreError';
}

/** A model artifact could not be loaded or does not match what was published. */
export class ModelLoadError extends ScoreError {
  override name = 'ModelLoadError';
}
