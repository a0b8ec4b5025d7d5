import { ContractError, type FindingEnrichedV1, parseEvent } from '@lakewatch/contracts';
import { RoutedInputError } from './errors.js';

/**
 * What a notify route delivers: the rule's InputTransformer wraps the event as
 * `{"route": "<aws.events.rule-name>", "targets": ["<target id>", …], "event": <aws.events.event.json>}`.
 */
export interface RoutedFinding {
  route: string;
  targets: string[];
  eventId: string;
  finding: FindingEnrichedV1;
}

/** Validates a routed input (the wrapped event against its contract). @throws RoutedInputError */
export function parseRouted(input: unknown): RoutedFinding {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new RoutedInputError('routed input must be an object {route, targets, event}');
  }
  const { route, targets, event } = input as Record<string, unknown>;
  if (typeof route !== 'string' || route === '' || route.length > 64) {
    throw new RoutedInputError(
      `route must be the rule name (1–64 characters), got ${JSON.stringify(route)}`,
    );
  }
  if (
    !Array.isArray(targets) ||
    targets.length === 0 ||
    targets.some((t) => typeof t !== 'string' || t === '')
  ) {
    throw new RoutedInputError(`route ${route}: targets must be a non-empty array of target ids`);
  }
  let parsed: ReturnType<typeof parseEvent>;
  try {
    parsed = parseEvent(event);
  } catch (e) {
    if (e instanceof ContractError) throw new RoutedInputError(`route ${route}: ${e.message}`);
    throw e;
  }
  if (parsed['detail-type'] !== 'FindingEnriched') {
    throw new RoutedInputError(
      `route ${route}: notify consumes FindingEnriched, got ${parsed['detail-type']}`,
    );
  }
  return {
    route,
    targets: [...new Set(targets as string[])],
    eventId: parsed.id,
    finding: parsed.detail as FindingEnrichedV1,
  };
}
