import type { Router } from 'express';
import type { Ingestor } from '../../ingest/ingestor.ts';
import { readRows } from '../body.ts';
import { committedOrThrow, withLines } from './outcome.ts';

/**
 * `POST /api/v1/actuals`: late labels `[{stream, id, actual}]` joined to stored events by id.
 * Actuals whose event is not stored are listed in `not_found_indexes` so they can be resent.
 */
export function addActualRoutes(router: Router, ingestor: Ingestor, bodyLimitBytes: number): void {
  router.post('/api/v1/actuals', async (request, response) => {
    const body = await readRows(request, bodyLimitBytes);
    const outcome = await ingestor.submitActuals(body.rows, body.rejected);
    const result = committedOrThrow(outcome, body.lines);

    response.status(200).json({
      received: result.received,
      updated: result.updated,
      not_found: result.notFoundIndexes.length,
      not_found_indexes: result.notFoundIndexes,
      rejected: withLines(result.rejected, body.lines),
    });
  });
}
