/**
 * Wildcard values as EventBridge reads them: `*` matches any run of characters (also none),
 * `\*` is a literal star and `\\` a literal backslash; any other backslash, and two stars in
 * a row, make the pattern invalid. Positions in the messages are UTF-8 byte offsets counted
 * from the opening quote of the JSON string, as AWS reports them.
 */
export interface Wildcard {
  /** The literal pieces between stars; `pieces.length - 1` stars. */
  readonly pieces: readonly string[];
}

/** Parses a wildcard value, throwing AWS's reason when it is invalid. */
export function parseWildcard(text: string): Wildcard {
  const pieces: string[] = [];
  let current = '';
  const pos = (i: number): number => Buffer.byteLength(text.slice(0, i), 'utf8') + 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '*') {
      if (text[i + 1] === '*') throw new Error(`Consecutive wildcard characters at pos ${pos(i)}`);
      pieces.push(current);
      current = '';
    } else if (ch === '\\') {
      const next = text[i + 1];
      if (next !== '*' && next !== '\\')
        throw new Error(`Invalid escape character at pos ${pos(i)}`);
      current += next;
      i++;
    } else {
      current += ch;
    }
  }
  pieces.push(current);
  return { pieces };
}

/** Whether `value` matches the wildcard (linear scan; greedy with the last star as backtrack point). */
export function matchWildcard(w: Wildcard, value: string): boolean {
  const { pieces } = w;
  const first = pieces[0] as string;
  if (pieces.length === 1) return value === first;
  const last = pieces[pieces.length - 1] as string;
  if (value.length < first.length + last.length) return false;
  if (!value.startsWith(first) || !value.endsWith(last)) return false;
  let pos = first.length;
  const end = value.length - last.length;
  // Middle pieces matched leftmost-first: with stars on both sides, leftmost is always safe.
  for (let i = 1; i < pieces.length - 1; i++) {
    const piece = pieces[i] as string;
    const at = value.indexOf(piece, pos);
    if (at < 0 || at + piece.length > end) return false;
    pos = at + piece.length;
  }
  return true;
}
