/** One detector instance for one series: a point in, an anomaly score in [0, 1] out. */
export interface StreamingDetector {
  /** Scores the point at `timestamp` (epoch ms) after the points before it, in row order. */
  score(timestamp: number, value: number): number;
}

/** Module export of a detector: a name for reports and a factory of per-series instances. */
export interface DetectorFactory {
  name: string;
  create(): StreamingDetector;
}

/** A detector's scores for one series, with the outputs the scorer had to replace. */
export interface DetectorRun {
  scores: Float64Array;
  /** Outputs that were not a number in [0, 1], or threw; each was scored as 0. */
  invalid: number;
}

/**
 * Runs a fresh detector instance over one series. An output outside [0, 1], NaN, or an exception
 * is scored as 0 and counted, so one bad point neither stops the benchmark nor hides.
 */
export function runDetector(
  factory: DetectorFactory,
  timestamps: readonly number[],
  values: readonly number[],
): DetectorRun {
  const detector = factory.create();
  const scores = new Float64Array(values.length);
  let invalid = 0;

  for (let i = 0; i < values.length; i += 1) {
    let score: number;
    try {
      score = detector.score(timestamps[i]!, values[i]!);
    } catch {
      score = NaN;
    }
    if (Number.isFinite(score) && score >= 0 && score <= 1) {
      scores[i] = score;
    } else {
      invalid += 1;
    }
  }
  return { scores, invalid };
}
