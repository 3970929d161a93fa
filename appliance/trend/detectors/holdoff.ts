import type { AnomalyDetector } from './detector.ts';

/**
 * Wraps a detector so one anomaly yields one high score: after a score s, the scores of the next
 * `holdoffMs` that do not exceed s are reported as 0. This needs no threshold, so for any alert
 * threshold the first crossing passes and its echoes in the following hours do not. A stronger
 * point inside the hold-off still passes and restarts it.
 */
export class HoldoffDetector implements AnomalyDetector {
  private peak = 0;
  private peakTime = -Infinity;
  /** Score of the inner detector before the hold-off, for reports. */
  raw = NaN;

  constructor(
    readonly inner: AnomalyDetector,
    readonly holdoffMs: number,
  ) {}

  update(timestamp: number, value: number): number {
    const score = this.inner.update(timestamp, value);
    this.raw = score;
    if (Number.isNaN(score)) return score;

    const held = timestamp - this.peakTime < this.holdoffMs;
    if (held && score <= this.peak) return 0;
    this.peak = score;
    this.peakTime = timestamp;
    return score;
  }

  status(): string | undefined {
    return this.inner.status();
  }

  stateBytes(): number {
    return this.inner.stateBytes() + 4 * 8;
  }
}
