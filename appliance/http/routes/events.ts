import type { Router } from 'express';
import type { Ingestor } from '../../ingest/ingestor.ts';
import { readRows } from '../body.ts';
import { committedOrThrow, withLines } from './outcome.ts';

/**
 * `POST /api/v1/events`: prediction events as a JSON array, one JSON object, or NDJSON.
 * Responds 200 once the valid rows committed, listing rejected rows and duplicates.
 */
export function addEventRoutes(router: Router, ingestor: Ingestor, bodyLimitBytes: number): void {
  router.post('/api/v1/events', async (request, response) => {
    const body = await readRows(request, bodyLimitBytes);
    const outcome = await ingestor.submitEvents(body.rows, body.rejected);
    const result = committedOrThrow(outcome, body.lines);

    response.status(200).json({
      received: result.received,
      stored: result.stored,
      duplicates: result.duplicateIndexes.length,
      duplicate_indexes: result.duplicateIndexes,
      rejected: withLines(result.rejected, body.lines),
    });
  });
}
