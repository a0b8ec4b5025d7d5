import type { PutEventsEntry } from '@lakewatch/contracts';

export type { PutEventsEntry };

/** The outcome of one entry, at the same index as the entry given to `publish`. */
export type PublishEntryResult =
  | { readonly ok: true; readonly eventId: string; readonly attempts: number }
  | {
      readonly ok: false;
      /** EventBridge's per-entry code, e.g. `ThrottlingException`, `MalformedDetail`. */
      readonly errorCode: string;
      readonly errorMessage: string;
      readonly attempts: number;
    };

/** What `publish` returns: one result per entry, in input order. */
export interface PublishResult {
  readonly entries: readonly PublishEntryResult[];
  /** How many entries failed for good (after retries). */
  readonly failedCount: number;
}

/**
 * The EventBus port: services publish through it and never see the SDK. Adapters:
 * {@link EventBridgeBus} (Amazon EventBridge or the local bus, through the SDK) and
 * {@link InMemoryBus} (rules → handlers, for unit tests).
 */
export interface EventBus {
  /**
   * Publishes entries, split into PutEvents calls EventBridge accepts, retrying failed entries;
   * never throws for a failed entry — each one's outcome is in the result.
   */
  publish(entries: readonly PutEventsEntry[]): Promise<PublishResult>;
}
