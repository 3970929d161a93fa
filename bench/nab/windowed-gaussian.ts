import { erfc } from '../../appliance/stats/robust.ts';
import type { DetectorFactory, StreamingDetector } from './detector.ts';
import { pairwiseSum } from './pairwise-sum.ts';

/**
 * Window length and step of the NAB version that produced NAB's published Windowed Gaussian
 * results: 6400 points, slid by 100 points at a time. NOTE: NAB's current source sets 1000 and 1,
 * but the published per-row scores match only 6400 and 100.
 */
export const WINDOW_SIZE = 6400;
export const STEP_SIZE = 100;

/** Standard deviation used when the window is constant, as in NAB's detector. */
const MIN_STDEV = 0.000001;

/**
 * NAB's Windowed Gaussian detector, re-implemented from NAB's source and checked against its scores. The score of a point is
 * 1 − Q(|z|), where Q is the upper normal tail and z uses the mean and population standard
 * deviation of the window before the point; the first point scores 0. The window grows to
 * `windowSize` points, then new points wait in a buffer and join it `stepSize` at a time,
 * dropping as many of the oldest. Sums run in NumPy's order, so scores round as NAB's do.
 */
export function createWindowedGaussian(
  windowSize = WINDOW_SIZE,
  stepSize = STEP_SIZE,
): StreamingDetector {
  let window: number[] = [];
  let buffer: number[] = [];
  let mean = 0;
  let stdev = 1;

  return {
    score(_timestamp: number, value: number): number {
      const score = window.length === 0 ? 0 : 1 - upperTail(value, mean, stdev);

      if (window.length < windowSize) {
        window.push(value);
      } else {
        buffer.push(value);
        if (buffer.length < stepSize) return score;
        window = window.slice(stepSize).concat(buffer);
        buffer = [];
      }
      [mean, stdev] = meanAndStdev(window);
      return score;
    },
  };
}

/** Probability of a sample further from `mean` than `value`, on the side of `value`. */
function upperTail(value: number, mean: number, stdev: number): number {
  const mirrored = value < mean ? 2 * mean - value : value;
  const z = (mirrored - mean) / stdev;
  return 0.5 * erfc(z / Math.SQRT2);
}

/** Returns `numpy.mean` and `numpy.std` (population, ddof 0), with a constant window's floor. */
function meanAndStdev(window: readonly number[]): [number, number] {
  const mean = pairwiseSum(window, 0, window.length) / window.length;
  const squares = window.map((value) => (value - mean) * (value - mean));
  const stdev = Math.sqrt(pairwiseSum(squares, 0, squares.length) / squares.length);
  return [mean, stdev === 0 ? MIN_STDEV : stdev];
}

export const windowedGaussian: DetectorFactory = {
  name: 'windowedGaussian',
  create: () => createWindowedGaussian(),
};
