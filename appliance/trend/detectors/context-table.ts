/** Slots per set. A new key replaces the least recently seen key of its set. */
const WAYS = 4;

/** Multiplier of Fibonacci hashing (2^32 divided by the golden ratio), to spread keys over sets. */
const HASH_MULTIPLIER = 0x9e3779b1;

/**
 * Bounded set of context keys with approximate least-recently-seen eviction: a 4-way
 * set-associative table of `capacity` slots, so memory stays at 8 bytes a slot whatever the
 * series does. Keys are positive integers below 2^32, and 0 marks an empty slot. Each slot is a
 * key and its stamp side by side, so one set is 32 contiguous bytes and a lookup touches one
 * or two cache lines.
 */
export class ContextTable {
  /** Key, then last-seen stamp, for each slot. */
  private readonly slots: Uint32Array;
  private readonly sets: number;
  // NOTE: stamps wrap after 2^32 touches (about 860 million points per grid at the default
  // order), and for a while after that eviction picks recent keys instead of old ones.
  private clock = 0;

  /** `capacity` is a positive multiple of 4, checked by the caller's options. */
  constructor(readonly capacity: number) {
    this.slots = new Uint32Array(2 * capacity);
    this.sets = capacity / WAYS;
  }

  /** Returns whether `key` was stored and not yet evicted. */
  has(key: number): boolean {
    const first = this.firstOf(key);
    for (let at = first; at < first + 2 * WAYS; at += 2) {
      if (this.slots[at] === key) return true;
    }
    return false;
  }

  /**
   * Stores `key` as the most recently seen, evicting the least recently seen key of its set, and
   * returns whether it was stored before.
   */
  touch(key: number): boolean {
    this.clock += 1;
    const slots = this.slots;
    const first = this.firstOf(key);
    let oldest = first;
    for (let at = first; at < first + 2 * WAYS; at += 2) {
      if (slots[at] === key) {
        slots[at + 1] = this.clock;
        return true;
      }
      if (slots[at + 1]! < slots[oldest + 1]!) oldest = at;
    }

    slots[oldest] = key;
    slots[oldest + 1] = this.clock;
    return false;
  }

  /** Number of keys stored. */
  size(): number {
    let count = 0;
    for (let at = 0; at < this.slots.length; at += 2) if (this.slots[at] !== 0) count += 1;
    return count;
  }

  byteLength(): number {
    return this.slots.byteLength;
  }

  /** Index in `slots` of the first slot of the set of `key`. */
  private firstOf(key: number): number {
    return ((Math.imul(key, HASH_MULTIPLIER) >>> 0) % this.sets) * 2 * WAYS;
  }
}

/** Slots per set of `ContextTable`. A capacity must be a multiple of it. */
export const CONTEXT_TABLE_WAYS = WAYS;
