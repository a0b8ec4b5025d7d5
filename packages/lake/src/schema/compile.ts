import {
  type EncodeState,
  encBigint,
  encBoolean,
  encDatetime,
  encDouble,
  encInteger,
  encMap,
  encStructList,
  encVarchar,
  encVarcharList,
} from './encode.js';
import type { ClassSchema, ColumnType, StructFields } from './types.js';

/** A class schema compiled for writing: the record flattener and the SQL that rebuilds it. */
export interface CompiledSchema {
  readonly schema: ClassSchema;
  /** One spool row (without the newline) for `record`. */
  readonly flatten: (record: unknown) => string;
  /**
   * The field texts of the row {@link flatten} returned last (one per spool column; reused,
   * overwritten by the next call): what a spool compares to find columns constant in a chunk.
   */
  readonly cells: readonly string[];
  /**
   * Forgets the values the flattener remembers from earlier records. Within a run of calls
   * with no `reset`, an object (struct, list, map) seen again is taken to be unchanged since:
   * call this whenever records may have been changed in between (the writer does at every
   * batch and after every `await`).
   */
  readonly reset: () => void;
  /** Counters of the flattener (values dropped for a bad type). */
  readonly state: EncodeState;
  /** `read_csv` `columns` argument: `{'c0': 'VARCHAR', …}`. */
  readonly csvColumns: string;
  /**
   * The SELECT list that turns spool columns into the nested lake columns. With `constants`
   * (a spool field text per column, `undefined` for a column whose values vary), a column
   * holding one value in every row of a chunk becomes a literal: DuckDB folds the nested
   * expressions built on it once instead of converting it for every row.
   */
  readonly selectList: (constants?: readonly (string | undefined)[]) => string;
}

interface Leaf {
  index: number;
  type: ColumnType;
}

const ENCODER_OF: Record<string, string> = {
  VARCHAR: 'encVarchar',
  INTEGER: 'encInteger',
  BIGINT: 'encBigint',
  DOUBLE: 'encDouble',
  BOOLEAN: 'encBoolean',
  DATETIME: 'encDatetime',
  'VARCHAR[]': 'encVarcharList',
  MAP: 'encMap',
};

/** A TIMESTAMP from epoch milliseconds, NULL outside years 1970–9999. */
function timestampOf(ms: string): string {
  return `CASE WHEN ${ms} BETWEEN 0 AND 253402300799999 THEN make_timestamp((${ms}) * 1000) END`;
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

function jsonStructure(fields: StructFields): unknown {
  const out: Record<string, unknown> = {};
  for (const [name, type] of Object.entries(fields)) {
    if (typeof type === 'string') out[name] = type === 'MAP' ? 'MAP(VARCHAR, VARCHAR)' : type;
    else if ('struct' in type) out[name] = jsonStructure(type.struct);
    else out[name] = [jsonStructure(type.list)];
  }
  return out;
}

function csvType(type: ColumnType): string {
  if (type === 'DATETIME') return 'BIGINT';
  return typeof type === 'string' && type !== 'VARCHAR[]' && type !== 'MAP' ? type : 'VARCHAR';
}

/**
 * Compiles a class schema. The flattener is generated code (one property read per column,
 * no per-field closures) because it runs once per record on the ingest hot path; its text
 * comes only from the schema's field names, never from data.
 */
export function compileSchema(schema: ClassSchema): CompiledSchema {
  const leaves: Leaf[] = [];
  let code = '';
  let vars = 0;
  let structs = 0;
  const countLeaves = (fields: StructFields): number =>
    Object.values(fields).reduce<number>(
      (n, t) => n + (typeof t === 'object' && 'struct' in t ? countLeaves(t.struct) : 1),
      0,
    );
  // Each leaf's text goes to its slot of a reused array, joined once per record: one flat
  // string per row and little garbage (string concatenation would build a rope per row).
  // `parent` is known to be an object here; a missing struct empties its slots in one loop.
  // Slots keep their text from the previous record: a struct object that is the one whose
  // texts the slots hold (parsers share cloud, product, connection objects) skips its leaves,
  // adding the coerced values it had; `s[k]` is that object, `sc[k]` its coerced count.
  const walk = (fields: StructFields, parent: string, top: boolean): void => {
    for (const [name, type] of Object.entries(fields)) {
      const access = `${parent}[${JSON.stringify(name)}]`;
      if (typeof type === 'object' && 'struct' in type) {
        const v = `v${vars++}`;
        const k = structs++;
        const first = leaves.length;
        code += `const ${v}=${access};\nif(${v}!==null&&typeof ${v}==='object'){\nif(${v}===s[${k}])st.coerced+=sc[${k}];else{const c${k}=st.coerced;\n`;
        walk(type.struct, v, false);
        // A struct missing again (`s[k]` is E) left its slots empty: nothing to clear.
        code += `s[${k}]=${v};sc[${k}]=st.coerced-c${k};}\n}else if(s[${k}]!==E){for(let i=${first};i<${first + countLeaves(type.struct)};i++){a[i]="";l[i]=undefined;}for(let j=${k};j<${structs};j++)s[j]=N;s[${k}]=E;}\n`;
        continue;
      }
      const slot = `a[${leaves.length}]`;
      const encoder = typeof type === 'string' ? ENCODER_OF[type] : 'encStructList';
      const base =
        top && type === 'DATETIME' && name.endsWith('_dt') ? name.slice(0, -3) : undefined;
      if (base !== undefined && fields[base] === 'BIGINT') {
        // The `<base>` milliseconds win in SQL (COALESCE): skip parsing the text twin then.
        const b = `${parent}[${JSON.stringify(base)}]`;
        code += `${slot}=Number.isInteger(${b})?"":${encoder}(${access},st);\n`;
      } else {
        // A value equal to this slot's previous one has the text the slot still holds
        // (constant and repeated columns skip their encoder); an empty text for a present
        // primitive was a coerced one, counted again (an object is encoded again: an empty
        // list is empty without being coerced).
        const i = leaves.length;
        code += `x=${access};\nif(x!==l[${i}]){l[${i}]=x;${slot}=${encoder}(x,st);}else if(${slot}===""&&x!=null){if(typeof x==='object')${slot}=${encoder}(x,st);else st.coerced++;}\n`;
      }
      leaves.push({ index: leaves.length, type });
    }
  };
  walk(schema.fields, 'r', true);
  const state: EncodeState = { coerced: 0 };
  const factory = new Function(
    'encVarchar',
    'encInteger',
    'encBigint',
    'encDouble',
    'encBoolean',
    'encDatetime',
    'encVarcharList',
    'encMap',
    'encStructList',
    'st',
    'a',
    `const N={};\nconst E={};\nconst l=new Array(a.length).fill(N);\nconst s=new Array(${structs}).fill(N);\nconst sc=new Array(${structs}).fill(0);\n` +
      `return {reset(){l.fill(N);s.fill(N);},flatten(r){\nlet x;\n${code}return a.join("\\x1f");}};`,
  ) as (...args: unknown[]) => { reset: () => void; flatten: (record: unknown) => string };
  const cells: string[] = new Array<string>(leaves.length).fill('');
  const { flatten, reset } = factory(
    encVarchar,
    encInteger,
    encBigint,
    encDouble,
    encBoolean,
    encDatetime,
    encVarcharList,
    encMap,
    encStructList,
    state,
    cells,
  );

  let next = 0;
  let constants: readonly (string | undefined)[] | undefined;
  const column = (type: ColumnType): string => {
    const i = next++;
    const constant = constants?.[i];
    return constant === undefined ? `c${i}` : literalOf(constant, csvType(type));
  };
  const expr = (type: ColumnType): string => {
    if (typeof type === 'object' && 'struct' in type)
      return `struct_pack(${Object.entries(type.struct)
        .map(([n, t]) => `${quoteIdent(n)} := ${expr(t)}`)
        .join(', ')})`;
    // An empty (NULL) column: a NULL of the lake type (json_transform of a NULL literal
    // would not keep its list-of-struct type, and DuckDB folds the map expression on a NULL
    // literal to an untyped NULL that Parquet stores as INTEGER: every object of a table
    // must have the same column types, for Athena and for readers without union_by_name).
    if (
      constants?.[next] === '' &&
      (typeof type !== 'string' || type === 'MAP' || type === 'VARCHAR[]')
    ) {
      next++;
      return `NULL::${sqlTypeOf(type)}`;
    }
    const c = column(type);
    if (type === 'VARCHAR[]') return `string_split(${c}, chr(29))`;
    if (type === 'MAP')
      return `CASE WHEN ${c} IS NULL THEN NULL ELSE map_from_entries(list_transform(string_split(${c}, chr(29)), lambda e: struct_pack(k := split_part(e, chr(30), 1), v := split_part(e, chr(30), 2)))) END`;
    if (typeof type === 'object')
      return `json_transform(${c}, ${sqlString(JSON.stringify([jsonStructure(type.list)]))})`;
    return c;
  };
  const selectList = (chunkConstants?: readonly (string | undefined)[]): string => {
    next = 0;
    constants = chunkConstants;
    const select: string[] = [];
    const topLevel = new Map<string, string>();
    for (const [name, type] of Object.entries(schema.fields)) {
      let e = expr(type);
      if (type === 'DATETIME') {
        const base = name.endsWith('_dt') ? topLevel.get(name.slice(0, -3)) : undefined;
        e = timestampOf(base ? `COALESCE(${base}, ${e})` : e);
      }
      topLevel.set(name, e);
      select.push(`${e} AS ${quoteIdent(name)}`);
    }
    return select.join(',\n  ');
  };
  const csvColumns = `{${leaves.map((l) => `'c${l.index}': '${csvType(l.type)}'`).join(', ')}}`;
  return { schema, flatten, reset, cells, state, csvColumns, selectList };
}

/** The DuckDB type of a lake column (DATETIME as TIMESTAMP). */
function sqlTypeOf(type: ColumnType): string {
  if (type === 'DATETIME') return 'TIMESTAMP';
  if (type === 'MAP') return 'MAP(VARCHAR, VARCHAR)';
  if (typeof type === 'string') return type;
  const fields = 'struct' in type ? type.struct : type.list;
  const struct = `STRUCT(${Object.entries(fields)
    .map(([n, t]) => `${quoteIdent(n)} ${sqlTypeOf(t)}`)
    .join(', ')})`;
  return 'struct' in type ? struct : `${struct}[]`;
}

/**
 * The SQL literal of one spool field text, typed as `read_csv` would read it: an empty
 * field is NULL, a quoted one is unquoted (`""` is the empty string).
 */
function literalOf(field: string, type: string): string {
  if (field === '') return `NULL::${type}`;
  const text = field.startsWith('"') ? field.slice(1, -1).replaceAll('""', '"') : field;
  return type === 'VARCHAR' ? sqlString(text) : `CAST(${sqlString(text)} AS ${type})`;
}
