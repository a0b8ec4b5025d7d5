/** The base error of the CDK app: a setting, a routing file or a file the stack needs is wrong. */
export class InfraError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InfraError';
  }
}

/** A deployment setting is missing or invalid; the message names the setting and the value. */
export class SettingsError extends InfraError {
  constructor(
    readonly setting: string,
    problem: string,
    options?: ErrorOptions,
  ) {
    super(`setting '${setting}': ${problem}`, options);
    this.name = 'SettingsError';
  }
}
