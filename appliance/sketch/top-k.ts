import { ByteReader, ByteWriter } from './bytes.ts';

/**
 * Category counts for one categorical feature: at most `capacity` categories with counts,
 * and `other` for the rest. Until the capacity fills, counts are exact. After that it is a
 * Misra-Gries summary: a new category, when the table is full, lowers every count by the
 * smallest count and drops the categories that reach 0, so each kept count undercounts its
 * category by at most `maxUndercount()` = (count - Σ kept) / (capacity + 1). Merging adds
 * the counts and then applies the same reduction (Agarwal et al., "Mergeable Summaries",
 * 2012), so the bound holds for merged windows too.
 */

export const DEFAULT_TOP_K = 64;
const KIND = 2;
const VERSION = 1;

export class TopKCounts {
  private counts = new Map<string, number>();
  /** Values seen, including those merged in. */
  count = 0;

  constructor(readonly capacity = DEFAULT_TOP_K) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new Error(`top-k capacity is invalid (got ${capacity}); use a positive integer`);
    }
  }

  update(category: string, weight = 1): void {
    this.count += weight;
    this.counts.set(category, (this.counts.get(category) ?? 0) + weight);
    if (this.counts.size > this.capacity) this.reduce();
  }

  merge(other: TopKCounts): void {
    this.count += other.count;
    for (const [category, count] of other.counts) {
      this.counts.set(category, (this.counts.get(category) ?? 0) + count);
    }
    if (this.counts.size > this.capacity) this.reduce();
  }

  /** Kept categories with their counts, largest first, then `other` = count - Σ kept. */
  entries(): { categories: [string, number][]; other: number } {
    const categories = [...this.counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const kept = categories.reduce((sum, [, count]) => sum + count, 0);
    return { categories, other: this.count - kept };
  }

  /** Upper bound of how much any kept count, or a dropped category's 0, undercounts. */
  maxUndercount(): number {
    return this.entries().other / (this.capacity + 1);
  }

  /** True while no category was dropped, so the counts are exact. */
  get exact(): boolean {
    return this.entries().other === 0;
  }

  toBytes(): Uint8Array {
    const writer = new ByteWriter().u8(KIND).u8(VERSION).u32(this.capacity).f64(this.count);
    writer.u32(this.counts.size);
    for (const [category, count] of this.counts) writer.text(category).f64(count);
    return writer.bytes();
  }

  static fromBytes(bytes: Uint8Array): TopKCounts {
    const reader = new ByteReader(bytes);
    reader.header(KIND, VERSION, 'top-k');
    const sketch = new TopKCounts(reader.u32());
    sketch.count = reader.f64();
    const size = reader.u32();
    for (let i = 0; i < size; i += 1) sketch.counts.set(reader.text(), reader.f64());
    return sketch;
  }

  // Subtracts the (capacity + 1)-th largest count from every count and drops those ≤ 0.
  private reduce(): void {
    const sorted = [...this.counts.values()].sort((a, b) => b - a);
    const cut = sorted[this.capacity]!;
    for (const [category, count] of this.counts) {
      if (count <= cut) this.counts.delete(category);
      else this.counts.set(category, count - cut);
    }
  }
}
