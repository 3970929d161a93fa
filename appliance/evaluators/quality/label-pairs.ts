import type { PredictionEvent } from '../../core/types.ts';
import type { Label } from '../../stats/classification.ts';

/** Actual and predicted labels of the events that have both, in event order. */
export interface LabelPairs {
  actual: Label[];
  predicted: Label[];
  /** Events left out because the prediction or the actual is null. */
  skipped: number;
}

/** Collects the label pairs of a window; labels are compared as strings later on. */
export function labelPairs(events: readonly PredictionEvent[]): LabelPairs {
  const actual: Label[] = [];
  const predicted: Label[] = [];
  for (const event of events) {
    if (event.actual === null || event.prediction === null) continue;
    actual.push(event.actual);
    predicted.push(event.prediction);
  }
  return { actual, predicted, skipped: events.length - actual.length };
}

/** Reason for a window with no usable rows, or undefined when it has some. */
export function noRowsReason(events: number, pairs: LabelPairs): string | undefined {
  if (events === 0) return 'no events in window';
  if (pairs.actual.length === 0)
    return `no events with both a prediction and an actual (of ${events})`;
  return undefined;
}

export const CLASSIFICATION_SOURCE = 'sklearn.metrics 1.9, zero_division=np.nan';
