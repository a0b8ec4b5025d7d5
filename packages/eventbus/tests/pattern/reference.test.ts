import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePattern } from '../../src/index.js';
import { compileBranches } from '../../src/pattern/compile.js';
import type { Branch, Leaf } from '../../src/pattern/types.js';

/**
 * A slow, obviously-correct reference for the evaluation half of the matcher: flatten the
 * whole event into (dotted path, value, array positions) and search every combination in
 * path order, as event-ruler does. The compiled matcher (lazy path walk over dotted keys,
 * cheapest-first rejection, allocation-free fast path) must always agree with it.
 */
interface FlatLeaf {
  path: string;
  value: Leaf;
  positions: Map<unknown[], number>;
}

function flatten(
  node: unknown,
  path: string,
  positions: Map<unknown[], number>,
  out: FlatLeaf[],
): void {
  if (Array.isArray(node)) {
    node.forEach((el, i) => {
      flatten(el, path, new Map([...positions, [node, i]]), out);
    });
  } else if (typeof node === 'object' && node !== null) {
    for (const [k, v] of Object.entries(node))
      flatten(v, path === '' ? k : `${path}.${k}`, positions, out);
  } else if (path !== '') {
    out.push({ path, value: node as Leaf, positions });
  }
}

const consistent = (a: FlatLeaf, chosen: FlatLeaf[]): boolean =>
  chosen.every((c) =>
    [...a.positions].every(([arr, i]) => !c.positions.has(arr) || c.positions.get(arr) === i),
  );

function referenceBranch(branch: Branch, leaves: FlatLeaf[]): boolean {
  const fields = [...branch.fields].sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
  );
  const search = (at: number, chosen: FlatLeaf[]): boolean => {
    const field = fields[at];
    if (field === undefined) return true;
    const atPath = leaves.filter((l) => l.path === field.path);
    for (const l of atPath) {
      if (field.test(l.value) && consistent(l, chosen) && search(at + 1, [...chosen, l]))
        return true;
    }
    return field.orAbsent && !atPath.some((l) => consistent(l, chosen)) && search(at + 1, chosen);
  };
  return search(0, []);
}

function reference(pattern: object, event: object): boolean {
  const leaves: FlatLeaf[] = [];
  flatten(event, '', new Map(), leaves);
  return compileBranches(pattern, unlimited).some((b) => referenceBranch(b, leaves));
}

const unlimited = { maxLength: 1_000_000, maxCombinations: 1_000_000 };

// Small name and value alphabets, dotted names, and arrays of objects: where the walk over
// dotted keys and the array-consistency logic can go wrong.
const name = fc.constantFrom('a', 'b', 'a.b');
const value = fc.constantFrom<Leaf>('x', 'y', 1, 2, null, '10.0.0.1');
const { obj } = fc.letrec<{ obj: Record<string, unknown>; node: unknown }>((tie) => ({
  obj: fc.dictionary(name, tie('node'), { minKeys: 1, maxKeys: 3 }),
  node: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    value,
    fc.array(fc.oneof(value, tie('obj')), { maxLength: 3 }),
    tie('obj'),
  ),
}));
const values = fc.array(
  fc.oneof(
    value,
    fc.constantFrom(
      { exists: true },
      { exists: false },
      { 'anything-but': 'x' },
      { numeric: ['>', 1] },
      { prefix: 'x' },
      { cidr: '10.0.0.0/8' },
    ),
  ),
  { minLength: 1, maxLength: 2 },
);
const { pattern } = fc.letrec<{ pattern: Record<string, unknown> }>((tie) => ({
  pattern: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    fc.dictionary(name, fc.oneof({ maxDepth: 3 }, values, tie('pattern')), {
      minKeys: 1,
      maxKeys: 3,
    }),
    fc
      .tuple(tie('pattern'), tie('pattern'))
      .map(([p, q]) => ({ $or: [p, q] }) as Record<string, unknown>),
  ),
}));

describe('Function: compilePattern (against a reference evaluator)', () => {
  it('agrees with brute-force flattening on arrays, dotted keys and exists:false', () => {
    fc.assert(
      fc.property(pattern, obj, (p, e) => {
        expect(compilePattern(p, unlimited).matches(e)).toBe(reference(p, e));
      }),
      { numRuns: 1500 },
    );
  });
});
