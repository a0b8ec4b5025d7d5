import type { Engine } from '../engine.js';
import type { Input } from '../validate.js';

/** One API operation: decoded JSON in, JSON-serializable result out. */
export type Handler = (input: Input) => unknown | Promise<unknown>;

/** A group of operations by their `X-Amz-Target` suffix. */
export type Operations = Record<string, Handler>;

/** Builds a group of operations over an engine. */
export type OperationsFactory = (engine: Engine) => Operations;
