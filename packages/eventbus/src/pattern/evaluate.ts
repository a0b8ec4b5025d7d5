import type { Branch, FieldCondition, Leaf } from './types.js';

/**
 * Where a leaf value sits in the event's arrays: one link per enclosing array (innermost
 * first). EventBridge matches with array consistency: the values chosen for the fields of one
 * alternative must come from the same element of every array they share.
 */
interface Membership {
  readonly array: unknown[];
  readonly index: number;
  readonly parent: Membership | null;
}

/**
 * Looks up one field's values in an event. One instance is reused for every field (matching
 * is synchronous and never calls out), so the hot path allocates nothing unless the event
 * has arrays on the field's path.
 */
class FieldScan {
  field!: FieldCondition;
  found = false;
  /** A matching value outside any array: consistent with every other choice. */
  free = false;
  candidates: Membership[] | null = null;
  /** For `exists: false` fields: a value outside any array exists at the path. */
  presentFree = false;
  /** For `exists: false` fields: where the values inside arrays sit. */
  present: Membership[] | null = null;
  /** Stop at the first matching value inside an array (enough unless arrays must be consistent). */
  firstOnly = false;
  /** The scan stopped early: a value outside arrays matched, or `firstOnly` found one. */
  done = false;

  reset(field: FieldCondition, firstOnly: boolean): void {
    this.field = field;
    this.found = false;
    this.free = false;
    this.candidates = null;
    this.presentFree = false;
    this.present = null;
    this.firstOnly = firstOnly && !field.orAbsent;
    this.done = false;
  }

  // The position in the innermost array is passed as (array, index) and only made into a
  // Membership when a value is kept or another array is entered: scanning a 250-element
  // array allocates nothing for the elements that do not match.

  leaves(value: unknown, mem: Membership | null, array: unknown[] | null, index: number): void {
    if (Array.isArray(value)) {
      const outer = array === null ? mem : { array, index, parent: mem };
      for (let i = 0; i < value.length && !this.done; i++) this.leaves(value[i], outer, value, i);
      return;
    }
    if (typeof value === 'object' && value !== null) return; // objects are not leaves
    this.found = true;
    if (this.field.orAbsent) {
      if (array === null && mem === null) this.presentFree = true;
      else {
        const at: Membership = array === null ? (mem as Membership) : { array, index, parent: mem };
        if (this.present === null) this.present = [at];
        else this.present.push(at);
      }
    }
    if (this.field.test(value as Leaf)) {
      if (array === null && mem === null) {
        this.free = true;
        this.done = true;
      } else {
        const at: Membership = array === null ? (mem as Membership) : { array, index, parent: mem };
        if (this.candidates === null) this.candidates = [at];
        else this.candidates.push(at);
        if (this.firstOnly) this.done = true;
      }
    }
  }

  /** Visits every event value whose flattened path spells segments `from..` of the field. */
  walk(
    node: unknown,
    from: number,
    mem: Membership | null,
    array: unknown[] | null,
    index: number,
  ): void {
    if (typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) {
      const outer = array === null ? mem : { array, index, parent: mem };
      for (let i = 0; i < node.length && !this.done; i++) this.walk(node[i], from, outer, node, i);
      return;
    }
    const obj = node as Record<string, unknown>;
    const keys = this.field.keys[from] as readonly string[];
    const last = keys.length - 1;
    for (let k = 0; k <= last && !this.done; k++) {
      const key = keys[k] as string;
      const child = obj[key];
      // JSON values are never undefined or functions; anything else found is inherited.
      if (child === undefined || typeof child === 'function') continue;
      if (key === '__proto__' && !Object.hasOwn(obj, key)) continue;
      if (k === last) this.leaves(child, mem, array, index);
      else this.walk(child, from + k + 1, mem, array, index);
    }
  }
}

const scan = new FieldScan();

function consistent(a: Membership, b: Membership): boolean {
  for (let x: Membership | null = a; x !== null; x = x.parent) {
    for (let y: Membership | null = b; y !== null; y = y.parent) {
      if (x.array === y.array && x.index !== y.index) return false;
    }
  }
  return true;
}

/** What one field found, kept when arrays make the answer depend on the other fields. */
interface FieldResult {
  readonly field: FieldCondition;
  readonly path: string;
  candidates: Membership[] | null;
  /** A full scan found a matching value outside arrays: the field fits any choice. */
  free: boolean;
  /** The field may be satisfied by absence; these are where its values (in arrays) sit. */
  readonly orAbsent: boolean;
  readonly present: Membership[] | null;
}

const byPath = (a: FieldResult, b: FieldResult): number =>
  a.path < b.path ? -1 : a.path > b.path ? 1 : 0;

/**
 * Chooses one value per field, in path order as event-ruler walks them, such that the chosen
 * values are array-consistent. `exists: false` holds when no value at its path is consistent
 * with the values chosen for the fields before it (event-ruler's absence check).
 */
function choose(fields: FieldResult[], at: number, chosen: Membership[]): boolean {
  const field = fields[at];
  if (field === undefined) return true;
  if (field.free) return choose(fields, at + 1, chosen);
  if (field.candidates !== null) {
    for (const c of field.candidates) {
      if (chosen.every((m) => consistent(m, c))) {
        chosen.push(c);
        if (choose(fields, at + 1, chosen)) return true;
        chosen.pop();
      }
    }
  }
  if (field.orAbsent) {
    const present = field.present?.some((p) => chosen.every((m) => consistent(m, p))) ?? false;
    if (!present) return choose(fields, at + 1, chosen);
  }
  return false;
}

/** Whether the event satisfies one alternative of a pattern. */
export function matchBranch(branch: Branch, event: unknown): boolean {
  // First pass, cheapest fields first: reject early, and settle fields that arrays do not affect.
  let pending: FieldResult[] | undefined;
  const fields = branch.fields;
  for (let f = 0; f < fields.length; f++) {
    const field = fields[f] as FieldCondition;
    scan.reset(field, true);
    scan.walk(event, 0, null, null, 0);
    if (scan.free) continue; // a matching value outside arrays fits any choice
    if (field.orAbsent && !scan.found) continue; // absent everywhere
    const canBeAbsent = field.orAbsent && !scan.presentFree;
    if (scan.candidates === null && !canBeAbsent) return false;
    const result: FieldResult = {
      field,
      free: false,
      path: field.path,
      candidates: scan.candidates,
      orAbsent: canBeAbsent,
      present: scan.present,
    };
    if (pending === undefined) pending = [result];
    else pending.push(result);
  }
  if (pending === undefined) return true;
  if (pending.length === 1 && pending[0]?.candidates !== null) return true;
  // Several fields depend on array elements: collect every matching value of each.
  for (const result of pending) {
    if (result.candidates === null || result.field.orAbsent) continue;
    scan.reset(result.field, false);
    scan.walk(event, 0, null, null, 0);
    result.candidates = scan.candidates;
    result.free = scan.free; // the first pass may have stopped before a value outside arrays
  }
  // Absence depends on the fields before it in path order (event-ruler's walk); without
  // absence the order is free, and trying the field with fewest candidates first is fastest.
  if (pending.some((r) => r.orAbsent)) pending.sort(byPath);
  else pending.sort((a, b) => (a.candidates?.length ?? 0) - (b.candidates?.length ?? 0));
  return choose(pending, 0, []);
}
