import type { CostMatrix } from './profiles.ts';
import type { RowWindow, WindowLimits } from './windows.ts';
import { locateWindows, probationaryLength } from './windows.ts';

/** `windowOf` value of a row in the probationary period, whose detections NAB ignores. */
export const PROBATIONARY = -2;

/** `windowOf` value of a scored row outside every window, where a detection is a false positive. */
export const OUTSIDE = -1;

/**
 * NAB's scaled sigmoid of a relative position: 2·σ(−5x) − 1, and −1 from x = 3 on. Inside a window
 * x runs from −1 (left edge, 0.98661) to about 0 (right edge); after a window x > 0 and the value
 * turns negative, so a false positive soon after a window costs less than one far from it.
 */
export function scaledSigmoid(position: number): number {
  if (position >= 3) return -1;
  return 2 * (1 / (1 + Math.exp(5 * position))) - 1;
}

/** Value of the earliest possible detection, which NAB divides true-positive weights by. */
export const MAX_TP = scaledSigmoid(-1);

/**
 * The profile-independent part of scoring one file: for each row, the window it belongs to and
 * its unweighted scaled sigmoid, computed as NAB's sweeper does.
 */
export interface ScoringRows {
  key: string;
  category: string;
  rowCount: number;
  /** Window index within the file, or `OUTSIDE`, or `PROBATIONARY`. */
  windowOf: Int32Array;
  sigmoid: Float64Array;
  /** All windows of the file, scored or not. */
  windowCount: number;
  /** Windows with at least one row after the probationary period; only these are scored. */
  scoredWindows: number[];
}

/** Labels the rows of one file against its windows. */
export function prepareRows(
  key: string,
  category: string,
  timestamps: readonly number[],
  limits: readonly WindowLimits[],
): ScoringRows {
  const windows = locateWindows(key, timestamps, limits);
  const rowCount = timestamps.length;
  const windowOf = new Int32Array(rowCount).fill(OUTSIDE);
  const sigmoid = new Float64Array(rowCount);

  let previous: RowWindow | undefined;
  let next = 0;
  for (let row = 0; row < rowCount; row += 1) {
    const current = windows[next];
    const inside = current !== undefined && row >= current.startRow && row <= current.exitRow;
    if (inside) {
      windowOf[row] = next;
      sigmoid[row] = scaledSigmoid(-(current.rightRow - row + 1) / current.width);
    } else {
      sigmoid[row] = scaledSigmoid(positionPastWindow(previous, row));
    }
    if (inside && row === current.exitRow) {
      previous = current;
      next += 1;
    }
  }

  const probation = Math.min(probationaryLength(rowCount), rowCount);
  windowOf.fill(PROBATIONARY, 0, probation);
  const scoredWindows = windows
    .map((window, index) => ({ window, index }))
    .filter(({ window }) => window.exitRow >= probation)
    .map(({ index }) => index);

  return { key, category, rowCount, windowOf, sigmoid, windowCount: windows.length, scoredWindows };
}

/**
 * Relative distance of a row after the last window it followed, in units of that window's width
 * less one; 3 (a full-cost false positive) before the first window. NOTE: NAB's sweeper divides by
 * zero after a one-row window; this uses 2 there, as NAB's earlier scorer did.
 */
function positionPastWindow(previous: RowWindow | undefined, row: number): number {
  if (previous === undefined) return 3;
  if (previous.width <= 1) return 2;
  return Math.abs(previous.exitRow - row) / (previous.width - 1);
}

/** Weight of a detection at `row`: tp·S/MAX_TP inside a window, fp·S outside, 0 in probation. */
export function detectionWeight(rows: ScoringRows, row: number, cost: CostMatrix): number {
  const window = rows.windowOf[row]!;
  if (window === PROBATIONARY) return 0;
  if (window === OUTSIDE) return rows.sigmoid[row]! * cost.fpWeight;
  return (rows.sigmoid[row]! * cost.tpWeight) / MAX_TP;
}
