/** The base class of every error the simulator throws. */
export class SimulatorError extends Error {
  override name = 'SimulatorError';
}

/** An option of {@link SimulateOptions} has a value the simulator cannot use; names the option and value. */
export class InvalidOptionError extends SimulatorError {
  override name = 'InvalidOptionError';
  /** The option at fault, e.g. `days`. */
  readonly option: string;
  /** The value given for it. */
  readonly value: unknown;
  constructor(option: string, value: unknown, expected: string) {
    super(`simulate: option '${option}' ${expected}, got ${describe(value)}`);
    this.option = option;
    this.value = value;
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
