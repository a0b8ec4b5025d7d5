import type { ParseContext } from '../context.js';
import type { ParseBatch } from '../types.js';
import { jsonValues } from './json-values.js';

/** Maps one parsed JSON object at `line` into the context (record or reject). */
export type JsonRecordHandler = (obj: Record<string, unknown>, line: number, raw: string) => void;

/**
 * Runs `handle` over every top-level JSON object of a stream (JSON lines, concatenated or
 * pretty-printed objects, or one array); text that is not an object is rejected as `bad-json`.
 */
export async function* parseJsonRecords(
  input: AsyncIterable<Uint8Array>,
  ctx: ParseContext,
  handle: JsonRecordHandler,
): AsyncGenerator<ParseBatch> {
  for await (const values of jsonValues(input)) {
    for (const v of values) {
      if (v.garbage) {
        ctx.reject({
          line: v.line,
          reason: 'bad-json',
          message: 'text that is not a JSON object',
          raw: v.text,
        });
      } else {
        let obj: unknown;
        try {
          obj = JSON.parse(v.text);
        } catch (e) {
          ctx.reject({
            line: v.line,
            reason: 'bad-json',
            message: `not valid JSON: ${(e as Error).message}`,
            raw: v.text,
          });
          continue;
        }
        if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
          ctx.reject({
            line: v.line,
            reason: 'bad-json',
            message: 'not a JSON object',
            raw: v.text,
          });
          continue;
        }
        try {
          handle(obj as Record<string, unknown>, v.line, v.text);
        } catch (e) {
          ctx.rejectFor(e, v.line, v.text);
        }
      }
      if (ctx.full()) yield ctx.take();
    }
  }
}
