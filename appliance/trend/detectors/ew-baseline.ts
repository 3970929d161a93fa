/**
 * Exponentially weighted mean and variance of a series, updated with a winsorised residual once
 * warm, so one spike moves the baseline by at most `clip` standard deviations times `alpha`.
 * Incremental update: d = x - mean, mean += alpha·d,
 * variance = (1 - alpha)·(variance + alpha·d²). Eight numbers of state.
 */
export class EwBaseline {
  mean = 0;
  variance = 0;
  count = 0;

  constructor(
    readonly alpha: number,
    readonly clip: number,
    readonly warmupPoints: number,
  ) {}

  get ready(): boolean {
    return this.count >= this.warmupPoints;
  }

  /**
   * Standard deviation with a floor, so a constant series divides by a small positive number:
   * max(sd, absoluteFloor, relativeFloor · |mean|).
   */
  scale(absoluteFloor: number, relativeFloor: number): number {
    const sd = Math.sqrt(this.variance);
    return Math.max(sd, absoluteFloor, relativeFloor * Math.abs(this.mean));
  }

  update(value: number): void {
    this.count += 1;
    if (this.count === 1) {
      this.mean = value;
      return;
    }

    // During warm-up the weight is 1/count, so the first points give the plain mean and variance.
    const alpha = Math.max(this.alpha, 1 / this.count);
    let delta = value - this.mean;
    if (this.ready && this.variance > 0) {
      const limit = this.clip * Math.sqrt(this.variance);
      delta = Math.max(-limit, Math.min(limit, delta));
    }
    this.mean += alpha * delta;
    this.variance = (1 - alpha) * (this.variance + alpha * delta * delta);
  }
}
