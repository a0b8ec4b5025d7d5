import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { PutEventsEntry } from '@lakewatch/contracts';
import type { SplitOptions } from './batches.js';
import type { EventBus, PublishResult } from './port.js';
import { publishWithRetries, type RetryOptions } from './publisher.js';

/** Options of {@link EventBridgeBus}. */
export interface EventBridgeBusOptions extends RetryOptions, SplitOptions {
  /**
   * The SDK client. @default `new EventBridgeClient({})`, which honours `AWS_REGION` and
   * `AWS_ENDPOINT_URL_EVENTBRIDGE` (the local bus).
   */
  client?: EventBridgeClient;
  /** Bus for entries that name none. @default the account's default bus */
  eventBusName?: string;
}

/**
 * The EventBus adapter on Amazon EventBridge (or anything speaking its API, like the local
 * bus) through `@aws-sdk/client-eventbridge`.
 *
 * @example
 * const bus = new EventBridgeBus({ eventBusName: 'lakewatch' });
 * const result = await bus.publish([buildPutEventsEntry('AnomalyDetected', detail)]);
 * if (result.failedCount > 0) keepForRetry(result.entries.filter((e) => !e.ok));
 */
export class EventBridgeBus implements EventBus {
  private readonly client: EventBridgeClient;

  constructor(private readonly options: EventBridgeBusOptions = {}) {
    this.client = options.client ?? new EventBridgeClient({});
  }

  publish(entries: readonly PutEventsEntry[]): Promise<PublishResult> {
    const busName = this.options.eventBusName;
    return publishWithRetries(
      entries,
      async (batch) => {
        const Entries = batch.map((e) =>
          e.EventBusName === undefined && busName !== undefined
            ? { ...e, EventBusName: busName }
            : e,
        );
        const out = await this.client.send(new PutEventsCommand({ Entries }));
        return (out.Entries ?? []).map((r) => ({
          eventId: r.EventId,
          errorCode: r.ErrorCode,
          errorMessage: r.ErrorMessage,
        }));
      },
      this.options,
    );
  }
}
