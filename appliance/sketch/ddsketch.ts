import { ByteReader, ByteWriter } from './bytes.ts';

/**
 * Relative-error quantile sketch for positive values such as latencies (DDSketch: Masson,
 * Rim and Lee, "DDSketch: A Fast and Fully-Mergeable Quantile Sketch with Relative-Error
 * Guarantees", VLDB 2019). A value x > 0 goes to bucket i = ceil(log_γ x) with
 * γ = (1 + α) / (1 - α), and a quantile returns 2γ^i / (γ + 1), within relative error α of
 * the true quantile's value. Values ≤ 0 are counted in a zero bucket and return 0. With
 * more than `maxBuckets` buckets, the lowest ones are collapsed into one, so the guarantee
 * then holds only for quantiles above the collapsed range. Merging adds bucket counts.
 */

export const DEFAULT_RELATIVE_ACCURACY = 0.01;
export const DEFAULT_MAX_BUCKETS = 2048;
const KIND = 3;
const VERSION = 1;

export class DdSketch {
  private readonly gamma: number;
  private readonly logGamma: number;
  private buckets = new Map<number, number>();
  private zeros = 0;
  count = 0;

  constructor(
    readonly relativeAccuracy = DEFAULT_RELATIVE_ACCURACY,
    readonly maxBuckets = DEFAULT_MAX_BUCKETS,
  ) {
    if (!(relativeAccuracy > 0 && relativeAccuracy < 1)) {
      throw new Error(
        `DDSketch relative accuracy is invalid (got ${relativeAccuracy}); use a value in (0, 1), such as 0.01`,
      );
    }
    this.gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
    this.logGamma = Math.log(this.gamma);
  }

  /** Adds one finite value; values ≤ 0 count as 0. */
  update(value: number): void {
    this.count += 1;
    if (value <= 0) {
      this.zeros += 1;
      return;
    }
    const index = Math.ceil(Math.log(value) / this.logGamma);
    this.buckets.set(index, (this.buckets.get(index) ?? 0) + 1);
    if (this.buckets.size > this.maxBuckets) this.collapseLowest();
  }

  merge(other: DdSketch): void {
    if (other.relativeAccuracy !== this.relativeAccuracy) {
      throw new Error(
        `cannot merge DDSketches of relative accuracy ${this.relativeAccuracy} and ${other.relativeAccuracy}`,
      );
    }
    this.count += other.count;
    this.zeros += other.zeros;
    for (const [index, count] of other.buckets) {
      this.buckets.set(index, (this.buckets.get(index) ?? 0) + count);
    }
    while (this.buckets.size > this.maxBuckets) this.collapseLowest();
  }

  /** Estimated q-quantile (q in [0, 1], rank ⌊q·(count - 1)⌋); NaN when empty. */
  quantile(q: number): number {
    if (this.count === 0 || !(q >= 0 && q <= 1)) return NaN;
    const rank = Math.floor(q * (this.count - 1));
    if (rank < this.zeros) return 0;

    let seen = this.zeros;
    for (const index of [...this.buckets.keys()].sort((a, b) => a - b)) {
      seen += this.buckets.get(index)!;
      if (seen > rank) return (2 * this.gamma ** index) / (this.gamma + 1);
    }
    return NaN;
  }

  get bucketCount(): number {
    return this.buckets.size;
  }

  toBytes(): Uint8Array {
    const writer = new ByteWriter().u8(KIND).u8(VERSION);
    writer.f64(this.relativeAccuracy).u32(this.maxBuckets).f64(this.zeros).f64(this.count);
    writer.u32(this.buckets.size);
    for (const [index, count] of this.buckets) writer.f64(index).f64(count);
    return writer.bytes();
  }

  static fromBytes(bytes: Uint8Array): DdSketch {
    const reader = new ByteReader(bytes);
    reader.header(KIND, VERSION, 'DDSketch');
    const sketch = new DdSketch(reader.f64(), reader.u32());
    sketch.zeros = reader.f64();
    sketch.count = reader.f64();
    const size = reader.u32();
    for (let i = 0; i < size; i += 1) sketch.buckets.set(reader.f64(), reader.f64());
    return sketch;
  }

  private collapseLowest(): void {
    const [lowest, next] = [...this.buckets.keys()].sort((a, b) => a - b);
    this.buckets.set(next!, this.buckets.get(next!)! + this.buckets.get(lowest!)!);
    this.buckets.delete(lowest!);
  }
}
