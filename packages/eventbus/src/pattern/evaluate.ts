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

  reset(field: FieldCondition): void {
    this.field = field;
    this.found = false;
    this.free = false;
    this.candidates = null;
  }

  leaves(value: unknown, mem: Membership | null): void {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length && !this.free; i++) {
        this.leaves(value[i], { array: value, index: i, parent: mem });
      }
      return;
    }
    if (typeof value === 'object' && value !== null) return; // objects are not leaves
    this.found = true;
    if (this.field.test(value as Leaf)) {
      if (mem === null) this.free = true;
      else if (this.candidates === null) this.candidates = [mem];
      else this.candidates.push(mem);
    }
  }

  /** Visits every event value whose flattened path spells segments `from..` of the field. */
  walk(node: unknown, from: number, mem: Membership | null): void {
    if (typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length && !this.free; i++) {
        this.walk(node[i], from, { array: node, index: i, parent: mem });
      }
      return;
    }
    const obj = node as Record<string, unknown>;
    const keys = this.field.keys[from] as readonly string[];
    const last = keys.length - 1;
    for (let k = 0; k <= last && !this.free; k++) {
      const key = keys[k] as string;
      const child = obj[key];
      // JSON values are never undefined or functions; anything else found is inherited.
      if (child === undefined || typeof child === 'function') continue;
      if (key === '__proto__' && !Object.hasOwn(obj, key)) continue;
      if (k === last) this.leaves(child, mem);
      else this.walk(child, from + k + 1, mem);
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

function choose(fields: Membership[][], at: number, chosen: Membership[]): boolean {
  const candidates = fields[at];
  if (candidates === undefined) return true;
  for (const c of candidates) {
    if (chosen.every((m) => consistent(m, c))) {
      chosen.push(c);
      if (choose(fields, at + 1, chosen)) return true;
      chosen.pop();
    }
  }
  return false;
}

/** Whether the event satisfies one alternative of a pattern. */
export function matchBranch(branch: Branch, event: unknown): boolean {
  let constrained: Membership[][] | undefined;
  const fields = branch.fields;
  for (let f = 0; f < fields.length; f++) {
    const field = fields[f] as FieldCondition;
    scan.reset(field);
    scan.walk(event, 0, null);
    if (scan.free) continue;
    if (scan.candidates !== null) {
      if (constrained === undefined) constrained = [scan.candidates];
      else constrained.push(scan.candidates);
      continue;
    }
    if (field.orAbsent && !scan.found) continue;
    return false;
  }
  if (constrained === undefined || constrained.length < 2) return true;
  return choose(constrained, 0, []);
}
