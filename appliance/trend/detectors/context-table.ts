/** Slots per set. A new key replaces the least recently seen key of its set. */
const WAYS = 4;

/** Multiplier of Fibonacci hashing (2^32 divided by the golden ratio), to spread keys over sets. */
const HASH_MULTIPLIER = 0x9e3779b1;

/**
 * Bounded set of context keys with approximate least-recently-seen eviction: a 4-way
 * set-associative table of `capacity` slots, so memory stays at 8 bytes a slot whatever the
 * series does. Keys are positive integers below 2^32, and 0 marks an empty slot.
 */
export class ContextTable {
  private readonly keys: Uint32Array;
  private readonly stamps: Uint32Array;
  private readonly sets: number;
  // NOTE: stamps wrap after 2^32 touches (about 860 million points per grid at the default
  // order), and for a while after that eviction picks recent keys instead of old ones.
  private clock = 0;

  /** `capacity` is a positive multiple of 4, checked by the caller's options. */
  constructor(readonly capacity: number) {
    this.keys = new Uint32Array(capacity);
    this.stamps = new Uint32Array(capacity);
    this.sets = capacity / WAYS;
  }

  /** Returns whether `key` was stored and not yet evicted. */
  has(key: number): boolean {
    return this.find(key) >= 0;
  }

  /**
   * Stores `key` as the most recently seen, evicting the least recently seen key of its set, and
   * returns whether it was stored before.
   */
  touch(key: number): boolean {
    this.clock += 1;
    const found = this.find(key);
    if (found >= 0) {
      this.stamps[found] = this.clock;
      return true;
    }

    const first = this.setOf(key) * WAYS;
    let oldest = first;
    for (let slot = first; slot < first + WAYS; slot += 1) {
      if (this.keys[slot] === 0) {
        oldest = slot;
        break;
      }
      if (this.stamps[slot]! < this.stamps[oldest]!) oldest = slot;
    }
    this.keys[oldest] = key;
    this.stamps[oldest] = this.clock;
    return false;
  }

  /** Number of keys stored. */
  size(): number {
    let count = 0;
    for (const key of this.keys) if (key !== 0) count += 1;
    return count;
  }

  byteLength(): number {
    return this.keys.byteLength + this.stamps.byteLength;
  }

  private find(key: number): number {
    const first = this.setOf(key) * WAYS;
    for (let slot = first; slot < first + WAYS; slot += 1) {
      if (this.keys[slot] === key) return slot;
    }
    return -1;
  }

  private setOf(key: number): number {
    return (Math.imul(key, HASH_MULTIPLIER) >>> 0) % this.sets;
  }
}

/** Slots per set of `ContextTable`. A capacity must be a multiple of it. */
export const CONTEXT_TABLE_WAYS = WAYS;
