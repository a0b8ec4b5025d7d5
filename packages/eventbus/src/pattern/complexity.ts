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
const END = -3;

/**
 * The largest number of live pattern states (past their first character) that any input keeps
 * at once, over the field's wildcard values. Stops early once `stopAbove` is exceeded.
 */
export function wildcardComplexity(
  wildcards: readonly string[],
  stopAbove = Number.POSITIVE_INFINITY,
): number {
  if (wildcards.length === 0) return 0;
  // One flat array of states: state s holds the token it waits for (END once the pattern is done).
  const token: number[] = [];
  const counts: number[] = []; // 1 for a state past its pattern's first character, not done
  const starts: number[] = [];
  for (const w of new Set(wildcards)) {
    const t = tokens(w);
    starts.push(token.length);
    t.forEach((tok, j) => {
      token.push(tok);
      counts.push(j > 0 ? 1 : 0);
    });
    token.push(END);
    counts.push(0);
  }
  const alphabet = new Set<number>([-2]); // -2: a character no pattern names
  for (const t of token) if (t >= 0) alphabet.add(t);

  const mark = new Uint32Array(token.length);
  let generation = 0;
  // Adds s and, through stars (which may match nothing), the states after it.
  const add = (set: number[], s: number): void => {
    let state = s;
    while (mark[state] !== generation) {
      mark[state] = generation;
      set.push(state);
      if (token[state] !== STAR) break;
      state++;
    }
  };

  generation++;
  const start: number[] = [];
  for (const s of starts) add(start, s);
  start.sort((a, b) => a - b);
  const seen = new Set([start.join(',')]);
  const queue = [start];
  let max = 0;
  for (let q = 0; q < queue.length && seen.size < MAX_SUBSETS; q++) {
    const set = queue[q] as number[];
    for (const c of alphabet) {
      generation++;
      const next: number[] = [];
      for (const s of set) {
        const t = token[s];
        if (t === STAR) add(next, s);
        else if (t === c) add(next, s + 1);
      }
      if (next.length === 0) continue;
      let weight = 0;
      for (const s of next) weight += counts[s] as number;
      if (weight > max) {
        max = weight;
        if (max > stopAbove) return max;
      }
      next.sort((a, b) => a - b);
      const key = next.join(',');
      if (!seen.has(key)) {
        seen.add(key);
        queue.push(next);
      }
    }
  }
  return max;
}
