import {
  type JsonRoute,
  type SqsBatchResponse,
  type SqsEvent,
  sqsBatchHandler,
} from '@lakewatch/service-kit';
import type { Logger } from 'pino';
import { TriggerError } from './errors.js';
import type { IngestOutcome } from './ingest.js';
import type { ObjectLocation } from './objects.js';
import { objectsOfNotification } from './triggers.js';

/** What the trigger adapters need: something that ingests one object. */
export interface Ingestor {
  ingest(location: ObjectLocation): Promise<IngestOutcome>;
}

/** Ingests every object a notification (SQS message body, parsed or not) announces. */
export async function ingestNotification(
  ingestor: Ingestor,
  body: unknown,
): Promise<IngestOutcome[]> {
  const out: IngestOutcome[] = [];
  for (const location of objectsOfNotification(body)) out.push(await ingestor.ingest(location));
  return out;
}

/**
 * The Lambda handler for the Security Lake subscriber's SQS queue: each message is one
 * notification; a message whose object cannot be read (or that is not a notification) is
 * reported as a partial batch failure, so SQS delivers it again and finally dead-letters it.
 */
export function createSqsHandler(
  ingestor: Ingestor,
  logger?: Logger,
): (event: SqsEvent) => Promise<SqsBatchResponse> {
  return sqsBatchHandler(
    async (body, messageId) => {
      const outcomes = await ingestNotification(ingestor, body);
      if (outcomes.length === 0)
        logger?.info({ messageId }, 'notification without objects (test event)');
    },
    (messageId, err) =>
      logger?.error({ messageId, err }, 'message failed; SQS will deliver it again'),
  );
}

/**
 * The Lambda entry for both ways S3 reaches a function: an SQS batch (the Security Lake
 * subscriber queue; partial batch failures) or an EventBridge `Object Created` event delivered
 * by a rule directly (a failure throws, so Lambda retries it and finally sends it to the
 * function's dead-letter destination).
 */
export function createLambdaHandler(
  ingestor: Ingestor,
  logger?: Logger,
): (event: SqsEvent | Record<string, unknown>) => Promise<SqsBatchResponse | undefined> {
  const sqs = createSqsHandler(ingestor, logger);
  return async (event) => {
    if (
      Array.isArray((event as SqsEvent).Records) &&
      (event as SqsEvent).Records.every((r) => typeof r?.messageId === 'string')
    )
      return sqs(event as SqsEvent);
    await ingestNotification(ingestor, event);
    return undefined;
  };
}

const bad = (message: string) => ({ status: 400, body: { error: 'bad-request', message } });

/**
 * The local process's HTTP routes: `POST /objects {"uri", "etag"?}` ingests one object and
 * answers its outcome; `POST /notifications` takes an S3 notification body (as SQS carries
 * it). A malformed request answers 400; an object that cannot be read throws (500), so a
 * caller (or the bus) retries.
 */
export function ingestRoutes(ingestor: Ingestor): Record<string, JsonRoute> {
  return {
    '/objects': async (body) => {
      const b = body as { uri?: unknown; etag?: unknown } | null;
      if (typeof b?.uri !== 'string' || b.uri === '')
        return bad('body must be {"uri": "s3://bucket/key" | "file:///path"}');
      if (!/^(s3|file):\/\//.test(b.uri))
        return bad(`uri must start with s3:// or file://, got '${b.uri.slice(0, 200)}'`);
      const outcome = await ingestor.ingest({
        uri: b.uri,
        ...(typeof b.etag === 'string' && b.etag !== '' ? { etag: b.etag } : {}),
      });
      return { status: 200, body: outcome };
    },
    '/notifications': async (body) => {
      try {
        return { status: 200, body: { results: await ingestNotification(ingestor, body) } };
      } catch (e) {
        if (e instanceof TriggerError) return bad(e.message);
        throw e;
      }
    },
  };
}
