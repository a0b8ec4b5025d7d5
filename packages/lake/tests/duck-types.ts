/** A DuckDB type, parsed from its text (`STRUCT(a INTEGER, b VARCHAR[])`). */
export type DuckType =
  | { kind: 'scalar'; name: string }
  | { kind: 'list'; item: DuckType }
  | { kind: 'map' }
  | { kind: 'struct'; fields: Map<string, DuckType> };

/** Parses DuckDB's type text as DESCRIBE prints it. */
export function parseDuckType(text: string): DuckType {
  let i = 0;
  const ws = () => {
    while (text[i] === ' ') i++;
  };
  const ident = (): string => {
    ws();
    if (text[i] === '"') {
      const end = text.indexOf('"', i + 1);
      const name = text.slice(i + 1, end);
      i = end + 1;
      return name;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    i += m?.[0].length ?? 0;
    return m?.[0] ?? '';
  };
  const type = (): DuckType => {
    ws();
    let t: DuckType;
    if (text.startsWith('STRUCT(', i)) {
      i += 7;
      const fields = new Map<string, DuckType>();
      while (text[i] !== ')') {
        const name = ident();
        fields.set(name, type());
        ws();
        if (text[i] === ',') i++;
        ws();
      }
      i++;
      t = { kind: 'struct', fields };
    } else if (text.startsWith('MAP(', i)) {
      let depth = 0;
      do {
        if (text[i] === '(') depth++;
        if (text[i] === ')') depth--;
        i++;
      } while (depth > 0);
      t = { kind: 'map' };
    } else t = { kind: 'scalar', name: ident() };
    while (text.startsWith('[]', i)) {
      i += 2;
      t = { kind: 'list', item: t };
    }
    return t;
  };
  return type();
}

/** The paths of `sample` that `lake` lacks or types differently (empty when `lake` covers `sample`). */
export function uncovered(sample: DuckType, lake: DuckType | undefined, path: string): string[] {
  if (!lake) return [path];
  if (sample.kind !== lake.kind) return [`${path} (${sample.kind} vs ${lake.kind})`];
  if (sample.kind === 'scalar' && lake.kind === 'scalar')
    return sample.name === lake.name ? [] : [`${path} (${sample.name} vs ${lake.name})`];
  if (sample.kind === 'list' && lake.kind === 'list')
    return uncovered(sample.item, lake.item, `${path}[]`);
  if (sample.kind === 'struct' && lake.kind === 'struct')
    return [...sample.fields].flatMap(([k, t]) => uncovered(t, lake.fields.get(k), `${path}.${k}`));
  return [];
}
