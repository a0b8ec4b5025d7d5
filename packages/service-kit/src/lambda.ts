import { type AnyLakewatchEvent, type DetailType, parseEvent } from '@lakewatch/contracts';
import { type IdempotencyStore, MemoryIdempotencyStore } from './idempotency.js';

/** The parts of an SQS event a Lambda receives that we use. */
export interface SqsEvent {
  Records: readonly { messageId: string; body: string }[];
}

/** The partial batch response: the messages SQS should deliver again. */
export interface SqsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

/**
 * A Lambda handler for SQS batches that reports partial batch failures: each message is
 * processed on its own; the ids of the messages that failed are returned so SQS redelivers
 * only them (the function's event source mapping enables `ReportBatchItemFailures`).
 * `onError` sees each failure (log it; never rethrow).
 */
export function sqsBatchHandler(
  process: (body: string, messageId: string) => Promise<void>,
  onError: (messageId: string, error: unknown) => void = () => {},
): (event: SqsEvent) => Promise<SqsBatchResponse> {
  return async (event) => {
    const batchItemFailures: { itemIdentifier: string }[] = [];
    for (const record of event.Records) {
      try {
        await process(record.body, record.messageId);
      } catch (e) {
        onError(record.messageId, e);
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };
}

/**
 * A Lambda handler for an EventBridge rule target: validates the event against its contract
 * and runs `handle` once per event id per container. An invalid event throws, so Lambda's
 * asynchronous retries end in the function's dead-letter destination with the reason.
 */
export function eventBridgeHandler(
  accepts: readonly DetailType[],
  handle: (event: AnyLakewatchEvent) => Promise<void>,
  idempotency: IdempotencyStore = new MemoryIdempotencyStore({ maxKeys: 10_000 }),
): (event: unknown) => Promise<void> {
  return async (raw) => {
    const event = parseEvent(raw);
    if (!accepts.includes(event['detail-type'])) {
      throw new TypeError(`this function does not consume ${event['detail-type']}`);
    }
    await idempotency.once(event.id, () => handle(event));
  };
}
