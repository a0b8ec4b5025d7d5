import type { ParseContext } from '../context.js';
import { parseJsonRecords } from '../io/json-records.js';
import { lineChunks } from '../io/lines.js';
import type { ParseBatch } from '../types.js';
import type { ZeekEntry } from './zeek-record.js';

/** Maps one entry to a record in the context (throws RecordRejection for a bad entry). */
export type ZeekMapper = (entry: ZeekEntry, line: number) => void;

function unescapeZeek(value: string): string {
  return value.replace(/\\x([0-9a-fA-F]{2})/g, (_m, h: string) =>
    String.fromCharCode(Number.parseInt(h, 16)),
  );
}

/**
 * Parses a Zeek ASCII log (TSV with `#separator`, `#fields`, `#unset_field`, `#empty_field`,
 * `#set_separator` headers; several logs may follow one another). Unset fields are left out,
 * set/vector fields become arrays.
 */
export async function* parseZeekTsv(
  input: AsyncIterable<Uint8Array>,
  ctx: ParseContext,
  map: ZeekMapper,
): AsyncGenerator<ParseBatch> {
  let separator = '\t';
  let setSeparator = ',';
  let unset = '-';
  let empty = '(empty)';
  let fields: string[] | undefined;
  let containers = new Set<number>();
  let lineNo = 0;
  for await (const lines of lineChunks(input)) {
    for (const line of lines) {
      lineNo++;
      if (line.length === 0) continue;
      if (line.charCodeAt(0) === 35) {
        const space = line.startsWith('#separator') ? line.indexOf(' ') : line.indexOf(separator);
        const key = space < 0 ? line.slice(1) : line.slice(1, space);
        const value = space < 0 ? '' : line.slice(space + 1);
        if (key === 'separator') separator = unescapeZeek(value);
        else if (key === 'set_separator') setSeparator = unescapeZeek(value);
        else if (key === 'unset_field') unset = value;
        else if (key === 'empty_field') empty = value;
        else if (key === 'fields') fields = value.split(separator);
        else if (key === 'types')
          containers = new Set(
            value
              .split(separator)
              .map((t, i) => (t.startsWith('set[') || t.startsWith('vector[') ? i : -1))
              .filter((i) => i >= 0),
          );
        continue;
      }
      if (fields === undefined) {
        ctx.reject({
          line: lineNo,
          reason: 'missing-header',
          message: 'a Zeek log line before any #fields header',
          raw: line,
        });
      } else {
        const values = line.split(separator);
        if (values.length !== fields.length) {
          ctx.reject({
            line: lineNo,
            reason: 'field-count',
            message: `expected ${fields.length} fields (${fields.join(' ')}), got ${values.length}`,
            raw: line,
          });
        } else {
          const entry: ZeekEntry = {};
          for (let i = 0; i < fields.length; i++) {
            const v = values[i]!;
            if (v === unset) continue;
            if (containers.has(i)) entry[fields[i]!] = v === empty ? [] : v.split(setSeparator);
            else entry[fields[i]!] = v === empty ? '' : v;
          }
          try {
            map(entry, lineNo);
          } catch (e) {
            ctx.rejectFor(e, lineNo, line);
          }
        }
      }
      if (ctx.full()) yield ctx.take();
    }
  }
}

/** Parses Zeek JSON logs (one JSON object a line). */
export function parseZeekJson(
  input: AsyncIterable<Uint8Array>,
  ctx: ParseContext,
  map: ZeekMapper,
): AsyncGenerator<ParseBatch> {
  return parseJsonRecords(input, ctx, (obj, line) => map(obj, line));
}
