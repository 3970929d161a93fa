import type { PredictionEvent } from '../appliance/core/types.ts';

/** Shape of the ingest benchmark's rows: 20 numeric features, one stream, unique ids. */
export const FEATURE_COUNT = 20;
export const BATCH_SIZE = 1_000;
const START_MS = Date.UTC(2024, 0, 1);

/** A deterministic pseudo-random number in [0, 1) for row `i` and feature `j`. */
function value(i: number, j: number): number {
  const x = Math.sin(i * 12.9898 + j * 78.233) * 43_758.5453;
  return x - Math.floor(x);
}

/** Row `i` in the wire schema that `POST /api/v1/events` accepts. */
export function wireRow(i: number): Record<string, unknown> {
  const features: Record<string, number> = {};
  for (let j = 0; j < FEATURE_COUNT; j++) {
    features[`f${j}`] = Math.round(value(i, j) * 1e6) / 1e3;
  }
  return {
    stream: 'bench',
    version: 'v1',
    id: `e${i}`,
    timestamp: START_MS + i * 10,
    features,
    prediction: Math.round(value(i, 99) * 1e4) / 100,
    latency_ms: 5 + (i % 17),
  };
}

/** Row `i` as the ingestor stores it, for the raw better-sqlite3 baseline. */
export function storedRow(i: number): PredictionEvent {
  const wire = wireRow(i);
  return {
    stream: wire.stream as string,
    version: wire.version as string,
    id: wire.id as string,
    timestamp: wire.timestamp as number,
    features: wire.features as Record<string, number>,
    prediction: wire.prediction as number,
    actual: null,
    latencyMs: wire.latency_ms as number,
    error: false,
  };
}

/** NDJSON body of the batch starting at row `first`. */
export function ndjsonBatch(first: number, size = BATCH_SIZE): string {
  const lines: string[] = new Array(size);
  for (let i = 0; i < size; i++) {
    lines[i] = JSON.stringify(wireRow(first + i));
  }
  return lines.join('\n') + '\n';
}
