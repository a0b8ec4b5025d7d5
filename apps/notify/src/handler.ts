import { loadConfig } from './config.js';
import type { Notifier, TargetOutcome } from './notifier.js';
import { parseRouted } from './routed.js';
import { createNotifier } from './runtime.js';

// Created once per Lambda container, on the first event.
let notifier: Notifier | undefined;

/**
 * The notify Lambda: the target of every notify route, invoked with the route's wrapped input
 * `{route, targets, event}`. An off-contract input or a failure throws, so Lambda's retries
 * and the function's dead-letter destination apply; a retry never resends what was sent.
 */
export async function handler(input: unknown): Promise<TargetOutcome[]> {
  const routed = parseRouted(input);
  notifier ??= createNotifier(loadConfig());
  return notifier.handle(routed);
}
