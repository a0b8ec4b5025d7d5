/**
 * EventBridge rejects a rule whose wildcards make matching too non-deterministic ("Rule is too
 * complex - try using fewer wildcard characters or fewer repeating character sequences after a
 * wildcard character"). event-ruler measures this as the most wildcard-pattern states that one
 * worst-case value can keep alive at once in a field's automaton; this module computes that
 * measure on an NFA built from the field's wildcard values (both `wildcard` and
 * `anything-but: {wildcard}`), each wrapped in the quotes Ruler matches them with.
 */

const STAR = -1;

function tokens(wildcard: string): number[] {
  const out = [0x22]; // Ruler matches the quoted JSON string
  for (let i = 0; i < wildcard.length; i++) {
    const ch = wildcard.charCodeAt(i);
    if (ch === 0x2a) out.push(STAR);
    else if (ch === 0x5c) out.push(wildcard.charCodeAt(++i));
    else out.push(ch);
  }
  out.push(0x22);
  return out;
}

/** Caps the subsets explored, so that validating a pattern stays fast. */
const MAX_SUBSETS = 4096;

/**
 * The largest number of live pattern states (past their first character) that any input keeps
 * at once, over the field's wildcard values.
 */
export function wildcardComplexity(wildcards: readonly string[]): number {
  if (wildcards.length === 0) return 0;
  const patterns = [...new Set(wildcards)].map(tokens);
  const offsets: number[] = [];
  let total = 0;
  for (const p of patterns) {
    offsets.push(total);
    total += p.length + 1;
  }
  const alphabet = new Set<number>();
  for (const p of patterns) for (const t of p) if (t !== STAR) alphabet.add(t);
  alphabet.add(-2); // a character no pattern names

  const closure = (states: Set<number>): number[] => {
    const stack = [...states];
    while (stack.length > 0) {
      const s = stack.pop() as number;
      const { p, j } = locate(s);
      if (patterns[p]?.[j] === STAR && !states.has(s + 1)) {
        states.add(s + 1);
        stack.push(s + 1);
      }
    }
    return [...states].sort((a, b) => a - b);
  };
  const locate = (s: number): { p: number; j: number } => {
    let p = 0;
    while (p + 1 < offsets.length && (offsets[p + 1] as number) <= s) p++;
    return { p, j: s - (offsets[p] as number) };
  };
  const weight = (set: number[]): number => {
    let w = 0;
    for (const s of set) {
      const { p, j } = locate(s);
      if (j > 0 && j < (patterns[p] as number[]).length) w++;
    }
    return w;
  };

  const start = closure(new Set(offsets));
  const seen = new Set([start.join(',')]);
  const queue = [start];
  let max = 0;
  while (queue.length > 0 && seen.size < MAX_SUBSETS) {
    const set = queue.shift() as number[];
    for (const c of alphabet) {
      const next = new Set<number>();
      for (const s of set) {
        const { p, j } = locate(s);
        const t = patterns[p]?.[j];
        if (t === STAR) next.add(s);
        else if (t === c) next.add(s + 1);
      }
      if (next.size === 0) continue;
      const closed = closure(next);
      max = Math.max(max, weight(closed));
      const key = closed.join(',');
      if (!seen.has(key)) {
        seen.add(key);
        queue.push(closed);
      }
    }
  }
  return max;
}
