import type { PredictionEvent, TimeRange } from '../core/types.ts';
import type { LabelMatchers, SeriesSamples } from '../store/store.ts';

/**
 * Read access to event-time windows for evaluators. Ranges are half-open [from, to).
 * Implementations serve recent windows from memory and older ones from the store.
 */
export interface WindowReader {
  /** Events of a stream in the range, in timestamp order. */
  events(stream: string, range: TimeRange): readonly PredictionEvent[];
  /** Series matching the selector with their points in the range. */
  points(name: string, matchers: LabelMatchers, range: TimeRange): readonly SeriesSamples[];
}
