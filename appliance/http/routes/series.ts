import type { Router } from 'express';
import type { Ingestor } from '../../ingest/ingestor.ts';
import { readRows } from '../body.ts';
import { committedOrThrow, withLines } from './outcome.ts';

/** `POST /api/v1/series`: numeric points `[{name, labels, value, timestamp}]`. */
export function addSeriesRoutes(router: Router, ingestor: Ingestor, bodyLimitBytes: number): void {
  router.post('/api/v1/series', async (request, response) => {
    const body = await readRows(request, bodyLimitBytes);
    const outcome = await ingestor.submitPoints(body.rows, body.rejected);
    const result = committedOrThrow(outcome, body.lines);

    response.status(200).json({
      received: result.received,
      stored: result.stored,
      rejected: withLines(result.rejected, body.lines),
    });
  });
}
