import {
  buildPutEventsEntry,
  type Detail,
  type DetailType,
  type PutEventsEntry,
} from '@lakewatch/contracts';
import type { EventBus } from '@lakewatch/eventbus';
import { PublishError } from './errors.js';

/** One event to publish. */
export interface Outgoing<D extends DetailType = DetailType> {
  detailType: D;
  detail: Detail<D>;
  resources?: string[];
}

/** Options of {@link ContractPublisher}. */
export interface PublisherOptions {
  /** Bus every entry goes to. @default the bus adapter's default */
  eventBusName?: string;
}

/**
 * Publishes contract events: each detail is validated against its contract before it leaves
 * (a producer never publishes off-contract), and any entry the bus fails for good makes the
 * call throw {@link PublishError}, so the caller does not acknowledge its input.
 */
export class ContractPublisher {
  constructor(
    private readonly bus: EventBus,
    private readonly options: PublisherOptions = {},
  ) {}

  /** Publishes in order; returns the event ids. @throws PublishError naming the failed entries. */
  async publish(events: readonly Outgoing[]): Promise<string[]> {
    if (events.length === 0) return [];
    const entries: PutEventsEntry[] = events.map((e) =>
      buildPutEventsEntry(e.detailType, e.detail as never, {
        ...(this.options.eventBusName !== undefined && { eventBusName: this.options.eventBusName }),
        ...(e.resources !== undefined && { resources: e.resources }),
      }),
    );
    const result = await this.bus.publish(entries);
    const failures: { detailType: string; errorCode: string; errorMessage: string }[] = [];
    const ids: string[] = [];
    result.entries.forEach((r, i) => {
      if (r.ok) ids.push(r.eventId);
      else
        failures.push({
          detailType: events[i]?.detailType ?? '?',
          errorCode: r.errorCode,
          errorMessage: r.errorMessage,
        });
    });
    if (failures.length > 0) throw new PublishError(failures);
    return ids;
  }
}
