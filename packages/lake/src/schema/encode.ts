// Encoders of one value into one field of the lake's spool rows: fields separated by US
// (0x1f), rows by LF, quoted with `"` when needed. Lists use GS (0x1d) between items and
// maps RS (0x1e) between key and value; those two control characters are dropped from list
// items and map entries (they never occur in the logs Lakewatch reads). A value of the
// wrong type for its column is written as NULL and counted in `state.coerced`.

/** Mutable counters shared by the encoders of one flattener. */
export interface EncodeState {
  /** Values present in a record but unusable for their column's type, written as NULL. */
  coerced: number;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the spool format's separators are control characters
const NEEDS_QUOTE = /["\x1f\n\r\0]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the spool format's separators are control characters
const SEPARATORS = /[\x1d\x1e]/g;
const INT_TEXT = /^-?\d{1,19}$/;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** `v` without the list and map separators (a scan instead of a regex replace when none). */
function clean(v: string): string {
  return v.indexOf('\x1d') < 0 && v.indexOf('\x1e') < 0 ? v : v.replace(SEPARATORS, '');
}

function quote(v: string): string {
  if (v === '') return '""';
  return NEEDS_QUOTE.test(v) ? `"${v.replaceAll('"', '""').replaceAll('\0', '')}"` : v;
}

function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** VARCHAR: strings as they are, numbers and booleans as text, objects as JSON. */
export function encVarchar(v: unknown): string {
  if (v === undefined || v === null) return '';
  return quote(text(v));
}

/** Texts of 0…65535 (ports, protocol numbers, flags, enum ids): no number formatting per row. */
const SMALL_INTS: readonly string[] = Array.from({ length: 65536 }, (_, i) => String(i));

function integer(v: unknown, st: EncodeState, min: number, max: number): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number') {
    if ((v & 0xffff) === v) return SMALL_INTS[v] as string;
    if (Number.isInteger(v) && v >= min && v <= max) return String(v);
  } else if (typeof v === 'bigint') {
    if (v >= BigInt(min) && v <= BigInt(max)) return String(v);
  } else if (typeof v === 'string' && INT_TEXT.test(v)) {
    const n = Number(v);
    if (n >= min && n <= max) return v;
  }
  st.coerced++;
  return '';
}

/** INTEGER (32 bits). */
export function encInteger(v: unknown, st: EncodeState): string {
  return integer(v, st, INT32_MIN, INT32_MAX);
}

/** BIGINT (safe integers, bigints, digit strings). */
export function encBigint(v: unknown, st: EncodeState): string {
  return integer(v, st, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
}

/** DOUBLE. */
export function encDouble(v: unknown, st: EncodeState): string {
  if (v === undefined || v === null) return '';
  const n =
    typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  if (Number.isFinite(n)) return String(n);
  st.coerced++;
  return '';
}

/** BOOLEAN. */
export function encBoolean(v: unknown, st: EncodeState): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  st.coerced++;
  return '';
}

/** VARCHAR[]: items joined by GS; an empty list is written as NULL. */
export function encVarcharList(v: unknown, st: EncodeState): string {
  if (v === undefined || v === null) return '';
  if (!Array.isArray(v)) {
    if (typeof v === 'object') {
      st.coerced++;
      return '';
    }
    return quote(clean(text(v)));
  }
  if (v.length === 0) return '';
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const item: unknown = v[i];
    if (i > 0) out += '\x1d';
    if (item !== undefined && item !== null) out += clean(text(item));
  }
  return quote(out);
}

/** MAP(VARCHAR, VARCHAR): `key RS value` entries joined by GS; non-string values as JSON. */
export function encMap(v: unknown, st: EncodeState): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'object' || Array.isArray(v)) {
    st.coerced++;
    return '';
  }
  let out = '';
  let first = true;
  for (const key in v) {
    const value: unknown = (v as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (!first) out += '\x1d';
    first = false;
    out += `${clean(key)}\x1e${value === null ? '' : clean(text(value))}`;
  }
  return first ? '' : quote(out);
}

/** A list of structs, as JSON text (DuckDB's `json_transform` types it). */
export function encStructList(v: unknown, st: EncodeState): string {
  if (v === undefined || v === null) return '';
  if (!Array.isArray(v)) {
    st.coerced++;
    return '';
  }
  return v.length === 0 ? '' : quote(JSON.stringify(v));
}

/** DATETIME, spooled as epoch milliseconds: from a number, a Date or an ISO 8601 text. */
export function encDatetime(v: unknown, st: EncodeState): string {
  if (v === undefined || v === null) return '';
  const ms =
    typeof v === 'number'
      ? v
      : typeof v === 'string'
        ? Date.parse(v)
        : Object.prototype.toString.call(v) === '[object Date]'
          ? (v as Date).getTime()
          : Number.NaN;
  if (Number.isFinite(ms)) return String(Math.trunc(ms));
  st.coerced++;
  return '';
}
