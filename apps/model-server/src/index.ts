// The model-server deployable: its configuration and entry point.

export { type ModelServerConfig, readConfig } from './config.js';
export { ModelServerAppError } from './errors.js';
export { main } from './main.js';
