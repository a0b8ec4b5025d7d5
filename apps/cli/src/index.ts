export { CliError } from './errors.js';
export { type CliIo, processIo } from './io.js';
export { buildProgram, CLI_VERSION, run } from './program.js';
