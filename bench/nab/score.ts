import type { CostMatrix } from './profiles.ts';
import type { ScoringRows } from './sweep.ts';
import { OUTSIDE, PROBATIONARY, detectionWeight } from './sweep.ts';

/** NAB's starting threshold: above every score in [0, 1], so nothing is detected. */
export const NO_DETECTION_THRESHOLD = 1.1;

/** Raw NAB score of one file at one threshold, with NAB's row counts. */
export interface FileScore {
  key: string;
  category: string;
  threshold: number;
  /** Σ over scored windows of the earliest detection's weight (−fn if none) + Σ FP weights. */
  raw: number;
  /** Row counts after the probationary period; a row is detected when score >= threshold. */
  tp: number;
  tn: number;
  fp: number;
  fn: number;
  /** All rows, probationary ones included, as NAB's `Total_Count`. */
  total: number;
}

/** One file's rows with a detector's anomaly score per row. */
export interface ScoredFile {
  rows: ScoringRows;
  scores: ArrayLike<number>;
}

/**
 * Scores one file at `threshold`. Only the earliest detection in a window counts, because the
 * weight falls monotonically across the window, so the window's maximum weight is the earliest.
 */
export function scoreFile(file: ScoredFile, threshold: number, cost: CostMatrix): FileScore {
  const { rows, scores } = file;
  const best = new Map<number, number>(rows.scoredWindows.map((w) => [w, -cost.fnWeight]));
  const counts = { tp: 0, tn: 0, fp: 0, fn: 0 };
  let falsePositiveSum = 0;

  for (let row = 0; row < rows.rowCount; row += 1) {
    const window = rows.windowOf[row]!;
    if (window === PROBATIONARY) continue;

    const detected = scores[row]! >= threshold;
    if (window === OUTSIDE) {
      counts[detected ? 'fp' : 'tn'] += 1;
      if (detected) falsePositiveSum += detectionWeight(rows, row, cost);
      continue;
    }

    counts[detected ? 'tp' : 'fn'] += 1;
    if (detected) best.set(window, Math.max(best.get(window)!, detectionWeight(rows, row, cost)));
  }

  let raw = falsePositiveSum;
  for (const weight of best.values()) raw += weight;
  return {
    key: rows.key,
    category: rows.category,
    threshold,
    raw,
    ...counts,
    total: rows.rowCount,
  };
}

/** A threshold and the raw corpus score it gives. */
export interface ThresholdScore {
  threshold: number;
  raw: number;
}

/**
 * Finds the threshold that maximises the summed raw score of `files`, as NAB's sweeper-based
 * optimiser does: it visits every distinct anomaly score from the highest down, so the result is
 * the exact optimum. Among equal scores the highest threshold wins, as in NAB's stable sort.
 */
export function optimiseThreshold(files: readonly ScoredFile[], cost: CostMatrix): ThresholdScore {
  const candidates = collectCandidates(files, cost);
  const order = Uint32Array.from(candidates.scores.keys()).sort(
    (a, b) => candidates.scores[b]! - candidates.scores[a]!,
  );
  const best = new Float64Array(candidates.windowCount).fill(-cost.fnWeight);
  let total = -cost.fnWeight * candidates.windowCount;
  let optimum: ThresholdScore = { threshold: NO_DETECTION_THRESHOLD, raw: total };
  let current = { ...optimum };

  for (const index of order) {
    const score = candidates.scores[index]!;
    if (score !== current.threshold) {
      if (current.raw > optimum.raw) optimum = current;
      current = { threshold: score, raw: total };
    }

    const window = candidates.windows[index]!;
    const weight = candidates.weights[index]!;
    if (window === OUTSIDE) {
      total += weight;
    } else if (weight > best[window]!) {
      total += weight - best[window]!;
      best[window] = weight;
    }
    current.raw = total;
  }

  if (current.raw > optimum.raw) optimum = current;
  return optimum;
}

/** Flattens the scored rows of all files, giving each window a corpus-wide index. */
function collectCandidates(files: readonly ScoredFile[], cost: CostMatrix) {
  const scores: number[] = [];
  const weights: number[] = [];
  const windows: number[] = [];
  let windowCount = 0;

  for (const { rows, scores: fileScores } of files) {
    const corpusIndex = new Map(rows.scoredWindows.map((w, i) => [w, windowCount + i]));
    for (let row = 0; row < rows.rowCount; row += 1) {
      const window = rows.windowOf[row]!;
      if (window === PROBATIONARY) continue;
      scores.push(fileScores[row]!);
      weights.push(detectionWeight(rows, row, cost));
      windows.push(window === OUTSIDE ? OUTSIDE : corpusIndex.get(window)!);
    }
    windowCount += rows.scoredWindows.length;
  }
  return {
    scores: Float64Array.from(scores),
    weights: Float64Array.from(weights),
    windows: Int32Array.from(windows),
    windowCount,
  };
}
