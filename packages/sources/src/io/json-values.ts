import { StringDecoder } from 'node:string_decoder';

/** One top-level JSON value (or the elements of a top-level array) and its first line. */
export interface JsonText {
  text: string;
  line: number;
  /** Set for text between values that is not JSON (rejected by the caller). */
  garbage?: boolean;
}

/**
 * Splits a UTF-8 stream of JSON values (JSON lines, pretty-printed objects one after another,
 * or one top-level array) into the text of each value, in constant memory per value.
 */
export async function* jsonValues(input: AsyncIterable<Uint8Array>): AsyncGenerator<JsonText[]> {
  const decoder = new StringDecoder('utf8');
  let depth = 0;
  let inString = false;
  let escaped = false;
  let inArray = false; // inside a top-level [ … ]
  let buf = '';
  let start = -1; // start of the current value in buf
  let startLine = 0;
  let garbageStart = -1;
  let garbageLine = 0;
  let line = 1;
  let seenAny = false;
  const base = () => (inArray ? 1 : 0);
  for await (const chunk of input) {
    const out: JsonText[] = [];
    const offset = buf.length;
    buf += decoder.write(chunk);
    for (let i = offset; i < buf.length; i++) {
      const c = buf.charCodeAt(i);
      if (c === 10) line++;
      if (start >= 0) {
        if (inString) {
          if (escaped) escaped = false;
          else if (c === 92) escaped = true;
          else if (c === 34) inString = false;
          continue;
        }
        if (c === 34) inString = true;
        else if (c === 123 || c === 91) depth++;
        else if (c === 125 || c === 93) {
          depth--;
          if (depth === base()) {
            out.push({ text: buf.slice(start, i + 1), line: startLine });
            start = -1;
          }
        }
        continue;
      }
      // between values
      if (c === 32 || c === 10 || c === 13 || c === 9 || (inArray && c === 44)) {
        if (c === 10 && garbageStart >= 0) {
          out.push({ text: buf.slice(garbageStart, i), line: garbageLine, garbage: true });
          garbageStart = -1;
        }
        continue;
      }
      if (garbageStart >= 0) continue;
      if (c === 91 && !seenAny && !inArray) {
        inArray = true;
        depth = 1;
        seenAny = true;
        continue;
      }
      if (inArray && c === 93 && depth === 1) {
        inArray = false;
        depth = 0;
        continue;
      }
      if (c === 123 || c === 91) {
        start = i;
        startLine = line;
        depth = base() + 1;
        seenAny = true;
        continue;
      }
      garbageStart = i;
      garbageLine = line;
      seenAny = true;
    }
    // keep only the unfinished part
    if (start >= 0) {
      buf = buf.slice(start);
      if (garbageStart >= 0) garbageStart -= start;
      start = 0;
    } else if (garbageStart >= 0) {
      buf = buf.slice(garbageStart);
      garbageStart = 0;
    } else buf = '';
    if (out.length > 0) yield out;
  }
  buf += decoder.end();
  if (start >= 0) yield [{ text: buf.slice(start), line: startLine }];
  else if (garbageStart >= 0)
    yield [{ text: buf.slice(garbageStart), line: garbageLine, garbage: true }];
}
