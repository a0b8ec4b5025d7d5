/**
 * The JSONPath subset EventBridge accepts in `InputPath` and `InputPathsMap`: the root `$`,
 * dot steps (`$.detail.instance-id`, names with dashes, underscores, slashes…), bracketed
 * names (`$['a.b']`), array indices (`$.resources[0]`) and wildcards (`[*]`, `.*`).
 */
export type PathStep =
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'wildcard' };

/** A parsed path: its steps, and whether it can select several values. */
export interface JsonPath {
  readonly text: string;
  readonly steps: readonly PathStep[];
  readonly multiple: boolean;
}

/** Parses a path, returning the reason it is not one EventBridge supports. */
export function parseJsonPath(text: string): JsonPath | { error: string } {
  if (!text.startsWith('$')) return { error: 'must start with $' };
  const steps: PathStep[] = [];
  let i = 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '.') {
      i++;
      if (text[i] === '*') {
        steps.push({ kind: 'wildcard' });
        i++;
        continue;
      }
      const start = i;
      while (i < text.length && text[i] !== '.' && text[i] !== '[') i++;
      if (i === start) return { error: `empty name at position ${start}` };
      steps.push({ kind: 'name', name: text.slice(start, i) });
    } else if (ch === '[') {
      const close = text.indexOf(']', i);
      if (close < 0) return { error: `unclosed [ at position ${i}` };
      const inner = text.slice(i + 1, close).trim();
      i = close + 1;
      if (inner === '*') steps.push({ kind: 'wildcard' });
      else if (/^[0-9]+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
      else if (/^'[^']*'$/.test(inner) || /^"[^"]*"$/.test(inner)) {
        steps.push({ kind: 'name', name: inner.slice(1, -1) });
      } else return { error: `unsupported selector [${inner}]` };
    } else {
      return { error: `unexpected '${ch}' at position ${i}` };
    }
  }
  return { text, steps, multiple: steps.some((s) => s.kind === 'wildcard') };
}

function step(values: unknown[], s: PathStep): unknown[] {
  const out: unknown[] = [];
  for (const v of values) {
    if (s.kind === 'name') {
      if (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.hasOwn(v, s.name)) {
        out.push((v as Record<string, unknown>)[s.name]);
      }
    } else if (s.kind === 'index') {
      if (Array.isArray(v) && s.index < v.length) out.push(v[s.index]);
    } else if (Array.isArray(v)) {
      out.push(...v);
    } else if (typeof v === 'object' && v !== null) {
      out.push(...Object.values(v));
    }
  }
  return out;
}

/**
 * Evaluates a path: `{ found: false }` when nothing is there; a single value for a definite
 * path; an array of every match for a path with a wildcard.
 */
export function evaluateJsonPath(
  path: JsonPath,
  root: unknown,
): { found: true; value: unknown } | { found: false } {
  let values: unknown[] = [root];
  for (const s of path.steps) {
    values = step(values, s);
    if (values.length === 0) return { found: false };
  }
  return { found: true, value: path.multiple ? values : values[0] };
}
