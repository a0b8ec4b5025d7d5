import { describe, expect, it } from 'vitest';
import { lineChunks, MAX_LINE } from '../src/io/lines.js';
import { bytes } from './helpers.js';

async function lines(data: Buffer, chunk = 7): Promise<string[]> {
  const out: string[] = [];
  for await (const ls of lineChunks(bytes(data, chunk))) out.push(...ls);
  return out;
}

describe('Function: lineChunks', () => {
  it('splits on \\n, drops a trailing \\r, keeps multi-byte characters whole across chunks', async () => {
    expect(await lines(Buffer.from('a b\r\nçé€\n\nlast'), 1)).toEqual(['a b', 'çé€', '', 'last']);
  });

  it('cuts a line longer than MAX_LINE once and goes on with the next line', async () => {
    // Prepare
    const long = 'x'.repeat(MAX_LINE * 2 + 5);
    // Act
    const out = await lines(Buffer.from(`first\n${long}\nnext\n`), 1 << 16);
    // Assess
    expect(out.map((l) => l.length)).toEqual([5, MAX_LINE, 4]);
    expect(out[2]).toBe('next');
  });
});
