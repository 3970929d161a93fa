import type Database from 'better-sqlite3';

/** Maximum rows one DELETE statement removes. Each such chunk is its own transaction. */
export const PRUNE_CHUNK_ROWS = 5_000;

/**
 * Deletes rows older than a cut-off in chunks of `PRUNE_CHUNK_ROWS`. Every chunk commits on
 * its own, so the WAL stays small and readers on other connections get the database between
 * chunks. Each chunk uses an index: events per stream by (stream, ts), points per series by
 * the primary key, results and history by their ts index.
 */
export class SqlitePrune {
  private readonly seriesIds: Database.Statement;
  private readonly deleteEvents: Database.Statement;
  private readonly deletePoints: Database.Statement;
  private readonly deleteResults: Database.Statement;
  private readonly deleteHistory: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly listStreams: () => string[],
  ) {
    this.seriesIds = db.prepare('SELECT id FROM series').pluck();
    this.deleteEvents = db.prepare(
      'DELETE FROM events WHERE rowid IN ' +
        '(SELECT rowid FROM events WHERE stream = ? AND ts < ? LIMIT ?)',
    );
    this.deletePoints = db.prepare(
      'DELETE FROM points WHERE series_id = ? AND ts IN ' +
        '(SELECT ts FROM points WHERE series_id = ? AND ts < ? LIMIT ?)',
    );
    this.deleteResults = db.prepare(
      'DELETE FROM results WHERE rowid IN (SELECT rowid FROM results WHERE ts < ? LIMIT ?)',
    );
    this.deleteHistory = db.prepare(
      'DELETE FROM alert_history WHERE rowid IN ' +
        '(SELECT rowid FROM alert_history WHERE ts < ? LIMIT ?)',
    );
  }

  /**
   * Deletes events, points, results and alert history with a timestamp before `before`
   * (epoch ms), at most `maxRows` rows in all, and returns the rows deleted. A caller that
   * must not hold the event loop for long passes a budget and calls again while the result
   * equals the budget.
   */
  run(before: number, maxRows: number): number {
    const budget: Budget = { remaining: maxRows, deleted: 0 };

    for (const stream of this.listStreams()) {
      drain(budget, (limit) => this.deleteEvents.run(stream, before, limit).changes);
    }
    for (const id of this.seriesIds.all() as number[]) {
      drain(budget, (limit) => this.deletePoints.run(id, id, before, limit).changes);
    }
    drain(budget, (limit) => this.deleteResults.run(before, limit).changes);
    drain(budget, (limit) => this.deleteHistory.run(before, limit).changes);
    return budget.deleted;
  }
}

/** Rows still allowed (Infinity for no limit) and rows deleted so far. */
interface Budget {
  remaining: number;
  deleted: number;
}

/** Repeats a chunked delete until a chunk comes back short or the budget is spent. */
function drain(budget: Budget, deleteChunk: (limit: number) => number): void {
  while (budget.remaining > 0) {
    const limit = Math.min(PRUNE_CHUNK_ROWS, budget.remaining);
    const changes = deleteChunk(limit);
    budget.remaining -= changes;
    budget.deleted += changes;
    if (changes < limit) return;
  }
}
