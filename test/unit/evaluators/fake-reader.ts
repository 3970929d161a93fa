import type { PredictionEvent, TimeRange } from '../../../appliance/core/types.ts';
import type { EvaluationContext } from '../../../appliance/evaluators/evaluator.ts';
import type { LabelMatchers, SeriesSamples } from '../../../appliance/store/store.ts';
import type { WindowReader } from '../../../appliance/window/window-reader.ts';

/** In-memory window reader over fixed events and series, filtering by range as a store does. */
export class FakeReader implements WindowReader {
  readonly pointQueries: TimeRange[] = [];

  constructor(
    private readonly eventList: PredictionEvent[] = [],
    private readonly seriesList: SeriesSamples[] = [],
  ) {}

  events(stream: string, range: TimeRange): readonly PredictionEvent[] {
    return this.eventList.filter(
      (e) => e.stream === stream && e.timestamp >= range.from && e.timestamp < range.to,
    );
  }

  points(name: string, matchers: LabelMatchers, range: TimeRange): readonly SeriesSamples[] {
    this.pointQueries.push(range);
    return this.seriesList
      .filter((s) => s.name === name)
      .filter((s) => Object.entries(matchers).every(([k, v]) => s.labels[k] === v))
      .map((s) => {
        const keep = s.timestamps.map((t) => t >= range.from && t < range.to);
        return {
          ...s,
          timestamps: s.timestamps.filter((_, i) => keep[i]),
          values: s.values.filter((_, i) => keep[i]),
        };
      })
      .filter((s) => s.timestamps.length > 0);
  }
}

/** Context for an evaluation at `time` over the window [time - windowMs, time). */
export function contextAt(data: WindowReader, time: number, windowMs: number): EvaluationContext {
  return { time, window: { from: time - windowMs, to: time }, data };
}

let nextId = 0;

/** A prediction event with defaults for the fields a test does not set. */
export function event(fields: Partial<PredictionEvent>): PredictionEvent {
  nextId += 1;
  return {
    stream: 'bikes',
    version: 'v1',
    id: `e${nextId}`,
    timestamp: 1000,
    features: Object.create(null) as Record<string, never>,
    prediction: null,
    actual: null,
    latencyMs: null,
    error: false,
    ...fields,
  };
}
