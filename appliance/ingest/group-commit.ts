import type { ActualUpdate, PredictionEvent, SeriesPoint } from '../core/types.ts';
import type { Store } from '../store/store.ts';
import type { CommitResult } from './ingest-queue.ts';

/** One validated batch of one request, as queued for the writer. */
export type IngestPayload =
  | { kind: 'events'; events: PredictionEvent[] }
  | { kind: 'actuals'; updates: ActualUpdate[] }
  | { kind: 'points'; points: SeriesPoint[] };

/** Store outcome of one batch, with indexes that are positions within that batch. */
export type BatchCommit =
  | { kind: 'events'; duplicateIndexes: number[] }
  | { kind: 'actuals'; notFoundIndexes: number[] }
  | { kind: 'points'; stored: number };

/**
 * Commits a group of batches with one store call per record kind: all event batches in one
 * `insertEvents` transaction, then actuals (so an actual can join an event of the same group),
 * then points. A failing call fails only the batches of its kind, each with the error message.
 */
export function commitGroup(store: Store, payloads: IngestPayload[]): CommitResult<BatchCommit>[] {
  const results: CommitResult<BatchCommit>[] = new Array(payloads.length);
  commitEvents(store, payloads, results);
  commitActuals(store, payloads, results);
  commitPoints(store, payloads, results);
  return results;
}

function commitEvents(
  store: Store,
  payloads: IngestPayload[],
  results: CommitResult<BatchCommit>[],
): void {
  const positions: number[] = [];
  const all: PredictionEvent[] = [];
  for (let i = 0; i < payloads.length; i++) {
    const payload = payloads[i]!;
    if (payload.kind === 'events') {
      positions.push(i);
      appendAll(all, payload.events);
    }
  }
  if (positions.length === 0) {
    return;
  }

  const outcome = attempt(() => store.insertEvents(all).duplicateIndexes);
  if (!outcome.ok) {
    positions.forEach((position) => (results[position] = outcome));
    return;
  }
  const split = splitIndexes(outcome.value, positions, payloads);
  positions.forEach((position, n) => {
    results[position] = { ok: true, value: { kind: 'events', duplicateIndexes: split[n]! } };
  });
}

function commitActuals(
  store: Store,
  payloads: IngestPayload[],
  results: CommitResult<BatchCommit>[],
): void {
  const positions: number[] = [];
  const all: ActualUpdate[] = [];
  for (let i = 0; i < payloads.length; i++) {
    const payload = payloads[i]!;
    if (payload.kind === 'actuals') {
      positions.push(i);
      appendAll(all, payload.updates);
    }
  }
  if (positions.length === 0) {
    return;
  }

  const outcome = attempt(() => store.applyActuals(all).notFoundIndexes);
  if (!outcome.ok) {
    positions.forEach((position) => (results[position] = outcome));
    return;
  }
  const split = splitIndexes(outcome.value, positions, payloads);
  positions.forEach((position, n) => {
    results[position] = { ok: true, value: { kind: 'actuals', notFoundIndexes: split[n]! } };
  });
}

function commitPoints(
  store: Store,
  payloads: IngestPayload[],
  results: CommitResult<BatchCommit>[],
): void {
  const positions: number[] = [];
  const all: SeriesPoint[] = [];
  for (let i = 0; i < payloads.length; i++) {
    const payload = payloads[i]!;
    if (payload.kind === 'points') {
      positions.push(i);
      appendAll(all, payload.points);
    }
  }
  if (positions.length === 0) {
    return;
  }

  const outcome = attempt(() => store.insertPoints(all));
  for (const position of positions) {
    const payload = payloads[position] as { points: SeriesPoint[] };
    results[position] = outcome.ok
      ? { ok: true, value: { kind: 'points', stored: payload.points.length } }
      : outcome;
  }
}

/** Splits indexes into the concatenation of the batches back into per-batch indexes. */
function splitIndexes(
  indexes: readonly number[],
  positions: number[],
  payloads: IngestPayload[],
): number[][] {
  const sizes = positions.map((position) => recordCount(payloads[position]!));
  const split: number[][] = sizes.map(() => []);
  const sorted = [...indexes].sort((a, b) => a - b);

  let batch = 0;
  let offset = 0;
  for (const index of sorted) {
    while (batch < sizes.length - 1 && index >= offset + sizes[batch]!) {
      offset += sizes[batch]!;
      batch++;
    }
    split[batch]!.push(index - offset);
  }
  return split;
}

export function recordCount(payload: IngestPayload): number {
  switch (payload.kind) {
    case 'events':
      return payload.events.length;
    case 'actuals':
      return payload.updates.length;
    case 'points':
      return payload.points.length;
  }
}

function attempt<V>(run: () => V): CommitResult<V> {
  try {
    return { ok: true, value: run() };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/** Appends without spreading, which overflows the call stack on very large arrays. */
function appendAll<V>(target: V[], source: readonly V[]): void {
  for (let i = 0; i < source.length; i++) {
    target.push(source[i]!);
  }
}
