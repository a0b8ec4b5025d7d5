/** A scalar column type, as DuckDB and Parquet name it. */
export type ScalarType = 'VARCHAR' | 'INTEGER' | 'BIGINT' | 'DOUBLE' | 'BOOLEAN';

/**
 * The type of one lake column (`DATETIME`: a TIMESTAMP from epoch milliseconds, an ISO 8601
 * text or a Date; a `<name>_dt` DATETIME is taken from the `<name>` milliseconds when present): a scalar, a list of strings, a string-to-string map (OCSF
 * `unmapped`), a struct, or a list of structs — the shapes Security Lake's Parquet uses.
 */
export type ColumnType =
  | ScalarType
  | 'DATETIME'
  | 'VARCHAR[]'
  | 'MAP'
  | { readonly struct: StructFields }
  | { readonly list: StructFields };

/** The fields of a struct (or of a whole record), in column order. */
export type StructFields = { readonly [name: string]: ColumnType };

/** The lake schema of one OCSF class. */
export interface ClassSchema {
  /** OCSF `class_uid`, or 0 for the schema used for classes without their own. */
  readonly classUid: number;
  /** Table (view) name of the class in the lake catalog, e.g. `network_activity`. */
  readonly table: string;
  /** Top-level columns written from the record, in order. */
  readonly fields: StructFields;
}
