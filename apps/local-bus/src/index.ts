export { loadConfig } from './config.js';
export { LocalBusAppError } from './errors.js';
export { main } from './main.js';
