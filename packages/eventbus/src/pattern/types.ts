/** A leaf value of an event: what a pattern's values are compared with. */
export type Leaf = string | number | boolean | null;

/** One field of a compiled pattern branch: the event values at `path` must pass `test`. */
export interface FieldCondition {
  /** The dotted path, e.g. `detail.state.status`. */
  readonly path: string;
  /** `keys[i][j]` is segments i..j joined with dots: the event keys that can spell the path. */
  readonly keys: readonly (readonly string[])[];
  /** Whether a leaf value satisfies one of the field's values (OR within the array). */
  readonly test: (value: Leaf) => boolean;
  /** The array holds `{"exists": false}`: the field also matches when the event has no value there. */
  readonly orAbsent: boolean;
  /** The field only lists exact values (one set lookup per event value). */
  readonly exactOnly: boolean;
}

/** One alternative of a pattern after `$or` expansion: every field must match (AND). */
export interface Branch {
  readonly fields: readonly FieldCondition[];
}
