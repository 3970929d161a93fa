import type { IngestOutcome } from '../../ingest/ingestor.ts';
import type { Rejection } from '../../ingest/rejection.ts';
import { HttpError } from '../http-error.ts';

/**
 * Returns the result of a committed submission, or throws the `HttpError` for the others:
 * 400 when no row was valid, 413 for too many records, 429 with Retry-After when the ingest
 * queue is full, 503 when the store write failed (nothing of the request was stored).
 */
export function committedOrThrow<T>(outcome: IngestOutcome<T>, lines: number[] | null): T {
  switch (outcome.status) {
    case 'committed':
      return outcome.result;
    case 'invalid':
      throw new HttpError(
        400,
        'no_valid_rows',
        'no row of the request is valid: fix the rows listed in rejected',
        {
          rejected: withLines(outcome.rejected, lines),
        },
      );
    case 'too_many_records':
      throw new HttpError(
        413,
        'too_many_records',
        `the request has ${outcome.records} records, above the limit of ${outcome.limit}: split it into smaller batches`,
        { limit_records: outcome.limit },
      );
    case 'queue_full':
      throw new HttpError(
        429,
        'queue_full',
        `the ingest queue is full: retry after ${outcome.retryAfterSeconds} s`,
        {},
        { 'retry-after': String(outcome.retryAfterSeconds) },
      );
    case 'store_failed':
      throw new HttpError(
        503,
        'store_unavailable',
        `the store write failed, so nothing of this request was stored: ${outcome.reason}; retry later`,
      );
  }
}

/** Adds each rejected row's NDJSON line number, when the body was NDJSON. */
export function withLines(rejected: readonly Rejection[], lines: number[] | null): Rejection[] {
  if (lines === null) {
    return [...rejected];
  }
  return rejected.map((rejection) => ({ ...rejection, line: lines[rejection.index] }));
}
