/** Every leaf of `value` as [dotted path, value]; arrays index as `[i]`. */
export function leaves(value: unknown, path = ''): [string, unknown][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, `${path}[${i}]`));
  if (value !== null && typeof value === 'object')
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
      leaves(v, path ? `${path}.${k}` : k),
    );
  return [[path, value]];
}

/** Reads a dotted path (with `[i]`) from a value. */
export function at(value: unknown, path: string): unknown {
  let v: unknown = value;
  for (const part of path.split(/\.|(?=\[)/)) {
    if (v === null || v === undefined) return undefined;
    const m = /^\[(\d+)\]$/.exec(part);
    v = m ? (v as unknown[])[Number(m[1])] : (v as Record<string, unknown>)[part];
  }
  return v;
}

/** The expected leaves that `actual` does not reproduce, except the paths in `skip`. */
export function mismatches(
  expected: unknown,
  actual: unknown,
  skip: readonly string[] = [],
): { path: string; expected: unknown; actual: unknown }[] {
  return leaves(expected)
    .filter(([p]) => !skip.includes(p))
    .filter(([p, v]) => at(actual, p) !== v)
    .map(([path, v]) => ({ path, expected: v, actual: at(actual, path) }));
}
