import type { ColumnSample } from '../stats/samples.ts';
import { ByteReader, ByteWriter } from './bytes.ts';
import { DEFAULT_KLL_K, KllSketch } from './kll.ts';
import { DEFAULT_TOP_K, TopKCounts } from './top-k.ts';

/**
 * Mergeable summary of one feature in one window: a KLL sketch and the running mean and
 * variance of its numbers, top-k counts of its categories, and the missing and non-finite
 * counts. State is bounded by k and the top-k capacity, not by the row count.
 */

const KIND = 4;
const VERSION = 1;

export interface ProfileOptions {
  k: number;
  topK: number;
}

export const DEFAULT_PROFILE_OPTIONS: ProfileOptions = { k: DEFAULT_KLL_K, topK: DEFAULT_TOP_K };

export class ColumnProfile {
  readonly numbers: KllSketch;
  readonly categories: TopKCounts;
  missing = 0;
  nonFinite = 0;
  /** Mean and sum of squared deviations of the numbers (Welford), for the std. */
  mean = 0;
  squares = 0;

  constructor(options: ProfileOptions = DEFAULT_PROFILE_OPTIONS) {
    this.numbers = new KllSketch(options.k);
    this.categories = new TopKCounts(options.topK);
  }

  static fromSample(sample: ColumnSample, options = DEFAULT_PROFILE_OPTIONS): ColumnProfile {
    const profile = new ColumnProfile(options);
    for (const value of sample.numbers) profile.addNumber(value);
    for (const value of sample.categories) profile.categories.update(value);
    profile.missing = sample.missing;
    profile.nonFinite = sample.nonFinite;
    return profile;
  }

  addNumber(value: number): void {
    this.numbers.update(value);
    const delta = value - this.mean;
    this.mean += delta / this.numbers.count;
    this.squares += delta * (value - this.mean);
  }

  /** Merges `other` into this profile, combining moments by Chan's parallel formula. */
  merge(other: ColumnProfile): void {
    const n = this.numbers.count;
    const m = other.numbers.count;
    if (m > 0) {
      const delta = other.mean - this.mean;
      this.squares += other.squares + (delta * delta * n * m) / (n + m);
      this.mean += (delta * m) / (n + m);
    }
    this.numbers.merge(other.numbers);
    this.categories.merge(other.categories);
    this.missing += other.missing;
    this.nonFinite += other.nonFinite;
  }

  /** Population standard deviation of the numbers, as NumPy's default `std`. */
  get std(): number {
    const n = this.numbers.count;
    return n === 0 ? NaN : Math.sqrt(this.squares / n);
  }

  get size(): number {
    return this.numbers.count + this.categories.count;
  }

  toBytes(): Uint8Array {
    const numbers = this.numbers.toBytes();
    const categories = this.categories.toBytes();
    const writer = new ByteWriter().u8(KIND).u8(VERSION);
    writer.f64(this.missing).f64(this.nonFinite).f64(this.mean).f64(this.squares);
    writer.u32(numbers.length);
    const head = writer.bytes();
    const tail = new ByteWriter().u32(categories.length).bytes();
    const bytes = new Uint8Array(head.length + numbers.length + tail.length + categories.length);
    bytes.set(head, 0);
    bytes.set(numbers, head.length);
    bytes.set(tail, head.length + numbers.length);
    bytes.set(categories, head.length + numbers.length + tail.length);
    return bytes;
  }

  static fromBytes(bytes: Uint8Array): ColumnProfile {
    const reader = new ByteReader(bytes);
    reader.header(KIND, VERSION, 'column profile');
    const profile = new ColumnProfile();
    profile.missing = reader.f64();
    profile.nonFinite = reader.f64();
    profile.mean = reader.f64();
    profile.squares = reader.f64();
    const numbersStart = 2 + 32 + 4;
    const numbersLength = reader.u32();
    const numbers = KllSketch.fromBytes(bytes.subarray(numbersStart, numbersStart + numbersLength));
    const categoriesStart = numbersStart + numbersLength + 4;
    const categories = TopKCounts.fromBytes(bytes.subarray(categoriesStart));
    return Object.assign(profile, { numbers, categories });
  }
}
