import { gunzipSync } from 'node:zlib';
import type { ParseContext } from '../context.js';
import { parseJsonRecords } from '../io/json-records.js';
import { lineChunks } from '../io/lines.js';
import type { ParseBatch } from '../types.js';

/** Handles one log event: its message, ordinal in the object, and the document's owner. */
export type LogEventHandler = (message: string, ordinal: number, owner: string | undefined) => void;

/**
 * Reads CloudWatch Logs subscription documents (`{messageType, owner, logEvents: […]}`):
 * plain or concatenated JSON (as Firehose delivers to S3), or one base64 gzip document a
 * line (Firehose record data). Control messages are skipped; each log event goes to
 * `handle` with its 1-based ordinal in the object.
 */
export async function* parseCloudWatch(
  input: AsyncIterable<Uint8Array>,
  ctx: ParseContext,
  base64: boolean,
  handle: LogEventHandler,
): AsyncGenerator<ParseBatch> {
  let ordinal = 0;
  const document = (doc: Record<string, unknown>, line: number, raw: string) => {
    if (doc.messageType === 'CONTROL_MESSAGE') return;
    const events = doc.logEvents;
    if (!Array.isArray(events)) {
      ordinal++;
      ctx.reject({
        line,
        reason: 'bad-cloudwatch',
        field: 'logEvents',
        message: 'a CloudWatch Logs document without a logEvents array',
        raw,
      });
      return;
    }
    const owner = typeof doc.owner === 'string' ? doc.owner : undefined;
    for (const event of events) {
      ordinal++;
      const message = (event as { message?: unknown } | null)?.message;
      if (typeof message !== 'string') {
        ctx.reject({
          line: ordinal,
          reason: 'bad-cloudwatch',
          field: 'message',
          value: message,
          message: 'a log event without a string message',
          raw: JSON.stringify(event),
        });
        continue;
      }
      try {
        handle(message, ordinal, owner);
      } catch (e) {
        ctx.rejectFor(e, ordinal, message);
      }
    }
  };
  if (!base64) {
    yield* parseJsonRecords(input, ctx, document);
    return;
  }
  let lineNo = 0;
  for await (const lines of lineChunks(input)) {
    for (const line of lines) {
      lineNo++;
      const t = line.trim();
      if (t.length === 0) continue;
      let doc: unknown;
      try {
        doc = JSON.parse(gunzipSync(Buffer.from(t, 'base64')).toString('utf8'));
      } catch (e) {
        ordinal++;
        ctx.reject({
          line: lineNo,
          reason: 'bad-base64-gzip',
          message: `not a base64 gzip JSON document: ${(e as Error).message}`,
          raw: t,
        });
        continue;
      }
      if (doc === null || typeof doc !== 'object') {
        ordinal++;
        ctx.reject({
          line: lineNo,
          reason: 'bad-cloudwatch',
          message: 'not a JSON object',
          raw: t,
        });
        continue;
      }
      document(doc as Record<string, unknown>, lineNo, t);
      if (ctx.full()) yield ctx.take();
    }
  }
}
