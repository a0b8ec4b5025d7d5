import { StringDecoder } from 'node:string_decoder';

/**
 * Splits a UTF-8 byte stream into arrays of lines (without `\n` or a trailing `\r`), one
 * array per input chunk, so callers loop without an await per line.
 */
export async function* lineChunks(input: AsyncIterable<Uint8Array>): AsyncGenerator<string[]> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  for await (const chunk of input) {
    const text = carry + decoder.write(chunk);
    const lines = text.split('\n');
    carry = lines.pop() ?? '';
    if (lines.length > 0) yield trimCr(lines);
  }
  const last = carry + decoder.end();
  if (last.length > 0) yield trimCr([last]);
}

function trimCr(lines: string[]): string[] {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.charCodeAt(line.length - 1) === 13) lines[i] = line.slice(0, -1);
  }
  return lines;
}
