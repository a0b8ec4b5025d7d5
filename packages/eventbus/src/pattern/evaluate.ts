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

/** What one field found in the event. */
class FieldScan {
  found = false;
  /** A matching value outside any array: consistent with every other choice. */
  free = false;
  readonly candidates: Membership[] = [];

  constructor(readonly field: FieldCondition) {}

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
      else this.candidates.push(mem);
    }
  }

  /** Visits every event value whose flattened path spells segments `from..` of the field. */
  walk(node: unknown, from: number, mem: Membership | null): void {
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length && !this.free; i++) {
        this.walk(node[i], from, { array: node, index: i, parent: mem });
      }
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const obj = node as Record<string, unknown>;
    const keys = this.field.keys[from] as readonly string[];
    const last = keys.length - 1;
    for (let k = 0; k <= last && !this.free; k++) {
      const key = keys[k] as string;
      if (!Object.hasOwn(obj, key)) continue;
      const child = obj[key];
      if (k === last) this.leaves(child, mem);
      else this.walk(child, from + k + 1, mem);
    }
  }
}

function consistent(a: Membership, b: Membership): boolean {
  for (let x: Membership | null = a; x !== null; x = x.parent) {
    for (let y: Membership | null = b; y !== null; y = y.parent) {
      if (x.array === y.array && x.index !== y.index) return false;
    }
  }
  return true;
}

function choose(scans: FieldScan[], at: number, chosen: Membership[]): boolean {
  const scan = scans[at];
  if (scan === undefined) return true;
  for (const c of scan.candidates) {
    if (chosen.every((m) => consistent(m, c))) {
      chosen.push(c);
      if (choose(scans, at + 1, chosen)) return true;
      chosen.pop();
    }
  }
  return false;
}

/** Whether the event satisfies one alternative of a pattern. */
export function matchBranch(branch: Branch, event: unknown): boolean {
  let constrained: FieldScan[] | undefined;
  for (const field of branch.fields) {
    const scan = new FieldScan(field);
    scan.walk(event, 0, null);
    if (scan.free) continue;
    if (scan.candidates.length > 0) {
      constrained ??= [];
      constrained.push(scan);
      continue;
    }
    if (field.orAbsent && !scan.found) continue;
    return false;
  }
  if (constrained === undefined || constrained.length < 2) return true;
  return choose(constrained, 0, []);
}
