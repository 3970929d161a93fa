/**
 * Empirical upper-tail probability of a detector's score against the detector's own earlier scores
 * on the same series: p = (1 + W(≥ s)) / (1 + W), where W(≥ s) is the weight of earlier scores at
 * or above s and W the weight of all of them. A score above every earlier one gets 1 / (1 + W).
 * So a score means "this rare for this series", whatever the detector's model assumes, and one
 * threshold fits heavy-tailed and light-tailed series alike.
 *
 * The scores, in [0, 1], are counted in `bins` equal bins of a Fenwick tree (O(log bins) per point,
 * no allocation after construction), with linear interpolation inside the bin of s. A score of 1
 * counts the whole top bin as at or above it, so a detector that often outputs exactly 1 does not
 * look like a new maximum each time. When W
 * reaches 2 · `memory`, every count is halved, so the distribution follows about the last
 * `memory` to 2 · `memory` scores and a long-running series does not freeze its baseline.
 * State: `bins` + 4 numbers.
 */
export class TailCalibrator {
  private readonly tree: Float64Array;
  private total = 0;

  constructor(
    readonly bins: number,
    readonly memory: number,
    readonly minCount: number,
  ) {
    this.tree = new Float64Array(bins + 1);
  }

  /** Weight of the scores learned so far, after halving. */
  get weight(): number {
    return this.total;
  }

  /** Tail probability of `score` among the learned scores; NaN while fewer than `minCount`. */
  pValue(score: number): number {
    if (Number.isNaN(score) || this.total < this.minCount) return NaN;

    const position = this.position(score);
    const bin = Math.floor(position);
    const below = this.prefix(bin);
    const inBin = this.prefix(bin + 1) - below;
    const fractionBelow = score >= 1 ? 0 : position - bin;
    const atOrAbove = this.total - below - inBin * fractionBelow;
    return (1 + Math.max(0, atOrAbove)) / (1 + this.total);
  }

  /** Adds `score` to the distribution; NaN is ignored. */
  learn(score: number): void {
    if (Number.isNaN(score)) return;

    for (let i = Math.floor(this.position(score)) + 1; i <= this.bins; i += i & -i) {
      this.tree[i] += 1;
    }
    this.total += 1;

    // Fenwick sums are linear in the counts, so halving every node halves every count.
    if (this.total >= 2 * this.memory) {
      for (let i = 1; i <= this.bins; i += 1) this.tree[i] *= 0.5;
      this.total *= 0.5;
    }
  }

  byteLength(): number {
    return (this.tree.length + 4) * 8;
  }

  /** Position of a score in bin units, in [0, bins); a score of 1 falls in the top bin. */
  private position(score: number): number {
    const clamped = Math.min(1, Math.max(0, score));
    return Math.min(this.bins - 1e-9, clamped * this.bins);
  }

  /** Weight of the bins below `bin`. */
  private prefix(bin: number): number {
    let sum = 0;
    for (let i = bin; i > 0; i -= i & -i) sum += this.tree[i]!;
    return sum;
  }
}
