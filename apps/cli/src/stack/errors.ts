import { CliError } from '../errors.js';

/** A local stack could not be started, reached or stopped; the message names the process. */
export class StackError extends CliError {
  override name = 'StackError';
}
