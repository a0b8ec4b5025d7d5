import type { ParseContext } from '../context.js';
import type { ParseBatch } from '../types.js';
import { peek } from './bytes.js';
import { type JsonText, jsonValues } from './json-values.js';
import { lineChunks } from './lines.js';

/** Maps one parsed JSON object at `line` into the context (record or reject). */
export type JsonRecordHandler = (obj: Record<string, unknown>, line: number, raw: string) => void;

/**
 * True when the object is JSON lines: its first line is a whole JSON object. Then each line
 * is parsed on its own (much faster than scanning every character for value boundaries).
 */
function isJsonLines(head: Uint8Array): boolean {
  const text = Buffer.from(head.buffer, head.byteOffset, Math.min(head.length, 1 << 20)).toString(
    'utf8',
  );
  const nl = text.indexOf('\n');
  if (nl < 0) return false;
  const first = text.slice(0, nl).trim();
  if (!first.startsWith('{') || !first.endsWith('}')) return false;
  try {
    JSON.parse(first);
    return true;
  } catch {
    return false;
  }
}

/** JSON lines as {@link JsonText} values: one per non-empty line. */
async function* jsonLines(input: AsyncIterable<Uint8Array>): AsyncGenerator<JsonText[]> {
  let lineNo = 0;
  for await (const lines of lineChunks(input)) {
    const out: JsonText[] = [];
    for (const line of lines) {
      lineNo++;
      if (line.length > 0 && line.trim().length > 0) out.push({ text: line, line: lineNo });
    }
    if (out.length > 0) yield out;
  }
}

/**
 * Runs `handle` over every top-level JSON object of a stream (JSON lines, concatenated or
 * pretty-printed objects, or one array); text that is not an object is rejected as `bad-json`.
 */
export async function* parseJsonRecords(
  input: AsyncIterable<Uint8Array>,
  ctx: ParseContext,
  handle: JsonRecordHandler,
): AsyncGenerator<ParseBatch> {
  const peeked = await peek(input, 1 << 16);
  const values = isJsonLines(peeked.head) ? jsonLines(peeked.stream) : jsonValues(peeked.stream);
  for await (const chunk of values) {
    for (const v of chunk) {
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
