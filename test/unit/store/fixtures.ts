import type { FeatureValue, PredictionEvent } from '../../../appliance/core/types.ts';

/** Builds a prediction event with defaults for every field the test does not care about. */
export function makeEvent(overrides: Partial<PredictionEvent> & { id: string }): PredictionEvent {
  return {
    stream: 'bikes',
    version: 'v1',
    timestamp: 1_700_000_000_000,
    features: features({ temp: 0.3 }),
    prediction: 120,
    actual: null,
    latencyMs: 4.5,
    error: false,
    ...overrides,
  };
}

/** Copies values into a null-prototype record, as ingest builds features. */
export function features(values: Record<string, FeatureValue>): Record<string, FeatureValue> {
  const record: Record<string, FeatureValue> = Object.create(null);
  for (const [name, value] of Object.entries(values)) record[name] = value;
  return record;
}
