/**
 * Small, stable, allocation-free hashes shared by training and scoring. They are part of
 * the artifact format (`encoding` in the manifest): changing them changes every model.
 */

/** murmur3's 32-bit finaliser: a bijective mix of a 32-bit integer. */
export function fmix32(h: number): number {
  let x = h | 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Hashes a sequence of 32-bit words into one (order-sensitive). */
export function hash3(a: number, b: number, c: number): number {
  return fmix32(fmix32(fmix32(a ^ 0x9e3779b9) ^ b) + Math.imul(c, 0x27d4eb2d));
}

/**
 * The entity hash: FNV-1a over the UTF-16 code units, finalised with {@link fmix32}.
 * Entities are assigned to `hash % num_entity_vectors`.
 */
export function entityHash(entity: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < entity.length; i++) {
    h ^= entity.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** A tiny seeded PRNG (mulberry32) returning uint32 values; state kept in a closure-free object. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = fmix32(seed ^ 0x6d2b79f5) | 0;
  }
  /** Next uniform uint32. */
  nextU32(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  /** Uniform float in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296;
  }
  /** Uniform integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
