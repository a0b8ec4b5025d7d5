import { StringDecoder } from 'node:string_decoder';

/** Longest line kept whole (1 MiB): a longer one is cut there, the rest of it skipped. */
export const MAX_LINE = 1 << 20;

/**
 * Splits a UTF-8 byte stream into arrays of lines (without `\n` or a trailing `\r`), one
 * array per input chunk, so callers loop without an await per line. Memory stays bounded:
 * a line longer than {@link MAX_LINE} (binary junk without newlines) is yielded cut at that
 * length, so its parser rejects it as one record, and the rest of it is skipped.
 */
export async function* lineChunks(input: AsyncIterable<Uint8Array>): AsyncGenerator<string[]> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let skipping = false;
  for await (const chunk of input) {
    let text = carry + decoder.write(chunk);
    if (skipping) {
      const nl = text.indexOf('\n');
      if (nl < 0) {
        carry = '';
        continue;
      }
      text = text.slice(nl + 1);
      skipping = false;
    }
    const lines = text.split('\n');
    carry = lines.pop() ?? '';
    if (carry.length > MAX_LINE) {
      lines.push(carry.slice(0, MAX_LINE));
      carry = '';
      skipping = true;
    }
    if (lines.length > 0) yield trimCr(lines);
  }
  const last = skipping ? '' : carry + decoder.end();
  if (last.length > 0) yield trimCr([last]);
}

function trimCr(lines: string[]): string[] {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.charCodeAt(line.length - 1) === 13) lines[i] = line.slice(0, -1);
  }
  return lines;
}
