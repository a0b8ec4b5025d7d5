type Obj = Record<string, unknown>;

const LIST_WRAPPERS = new Set(['array', 'list', 'bag', 'element', 'item']);

/**
 * Cleans one Parquet row as hyparquet decodes it into plain JSON values: BigInt → number,
 * Date → ISO string, byte arrays → base64, nulls dropped (and objects left empty by that),
 * and list columns written with a non-standard wrapper (`{array: […]}` as in the Security Lake
 * samples, or `{list: [{element: x}]}`) unwrapped. Counts each kind of fix in `fixes`.
 */
export function cleanParquetValue(value: unknown, fixes: Map<string, number>): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const v of value) {
      const c = cleanParquetValue(v, fixes);
      if (c !== undefined) out.push(c);
    }
    return out;
  }
  if (typeof value === 'object') {
    const obj = value as Obj;
    const keys = Object.keys(obj);
    if (keys.length === 1 && LIST_WRAPPERS.has(keys[0]!) && Array.isArray(obj[keys[0]!])) {
      fixes.set(
        `list wrapper '${keys[0]}' unwrapped`,
        (fixes.get(`list wrapper '${keys[0]}' unwrapped`) ?? 0) + 1,
      );
      const inner = obj[keys[0]!] as unknown[];
      const unwrapped = inner.map((e) => {
        if (e && typeof e === 'object' && !Array.isArray(e)) {
          const ek = Object.keys(e as Obj);
          if (ek.length === 1 && LIST_WRAPPERS.has(ek[0]!)) return (e as Obj)[ek[0]!];
        }
        return e;
      });
      return cleanParquetValue(unwrapped, fixes);
    }
    let out: Obj | undefined;
    for (const k of keys) {
      const c = cleanParquetValue(obj[k], fixes);
      if (c === undefined) continue;
      out ??= {};
      out[k] = c;
    }
    return out;
  }
  return value;
}
