/** Base class of every error thrown by `@lakewatch/ipinsights`. */
export class IpInsightsError extends Error {
  override name = 'IpInsightsError';
}

/**
 * A hyperparameter is missing, unknown or out of range. The message follows SageMaker's
 * wording, e.g. `Hyperparameter 'vector_dim' must be an integer between 4 and 4096, got '2'`.
 */
export class HyperparameterError extends IpInsightsError {
  override name = 'HyperparameterError';
  /** The offending hyperparameter's SageMaker name. */
  readonly hyperparameter: string;
  constructor(hyperparameter: string, message: string) {
    super(message);
    this.hyperparameter = hyperparameter;
  }
}

/** An IP address string the model cannot encode; `value` is the bad text. */
export class IpAddressError extends IpInsightsError {
  override name = 'IpAddressError';
  readonly value: string;
  constructor(value: string, message?: string) {
    super(message ?? `not a valid IPv4 address: '${value}'`);
    this.value = value;
  }
}

/** A model artifact that is missing, corrupt, foreign or of an unsupported version. */
export class ArtifactError extends IpInsightsError {
  override name = 'ArtifactError';
  /** The artifact path the problem was found in. */
  readonly path: string;
  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super(`${path}: ${message}`, options);
    this.path = path;
  }
}

/** Training could not run (no usable pairs, a worker failed, …). */
export class TrainingError extends IpInsightsError {
  override name = 'TrainingError';
}

/** Input data (CSV) that cannot be used at all, e.g. a missing column or an empty file. */
export class InputError extends IpInsightsError {
  override name = 'InputError';
}

/** Calibration was asked for something impossible (no normal pairs, bad target FPR, …). */
export class CalibrationError extends IpInsightsError {
  override name = 'CalibrationError';
}
