import type Database from 'better-sqlite3';
import type { ActualUpdate, PredictionEvent, TimeRange } from '../core/types.ts';
import type { ApplyActualsResult, InsertEventsResult } from './store.ts';
import { parseRecord } from './sqlite-codec.ts';

/** A row of `events` as `queryEvents` selects it, in raw (array) mode. */
type EventRow = [
  version: string,
  id: string,
  ts: number,
  features: string,
  prediction: number | string | null,
  actual: number | string | null,
  latencyMs: number | null,
  error: number,
];

/**
 * The `events` table: prediction events keyed by (stream, id). The insert is kept lean for
 * the ingest path: one prepared statement, positional parameters and one JSON text per event.
 */
export class SqliteEvents {
  private readonly insertStatement: Database.Statement;
  private readonly actualStatement: Database.Statement;
  private readonly rangeStatement: Database.Statement;
  private readonly streamsStatement: Database.Statement;
  private readonly insertAll: (events: readonly PredictionEvent[], duplicates: number[]) => void;
  private readonly updateAll: (updates: readonly ActualUpdate[], notFound: number[]) => void;

  constructor(db: Database.Database) {
    this.insertStatement = db.prepare(
      'INSERT OR IGNORE INTO events ' +
        '(stream, id, ts, version, features, prediction, actual, latency_ms, error) ' +
        'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.actualStatement = db.prepare('UPDATE events SET actual = ? WHERE stream = ? AND id = ?');
    this.rangeStatement = db
      .prepare(
        'SELECT version, id, ts, features, prediction, actual, latency_ms, error FROM events ' +
          'WHERE stream = ? AND ts >= ? AND ts < ? ORDER BY ts, rowid',
      )
      .raw();

    // A skip scan over the primary key: one index seek per distinct stream instead of
    // reading every event as SELECT DISTINCT would.
    this.streamsStatement = db
      .prepare(
        'WITH RECURSIVE s(name) AS (SELECT min(stream) FROM events UNION ALL ' +
          'SELECT (SELECT min(stream) FROM events WHERE stream > s.name) FROM s ' +
          'WHERE s.name IS NOT NULL) SELECT name FROM s WHERE name IS NOT NULL',
      )
      .pluck();

    this.insertAll = db.transaction((events, duplicates) => this.insertRows(events, duplicates));
    this.updateAll = db.transaction((updates, notFound) => this.updateRows(updates, notFound));
  }

  /** Inserts the events in one transaction and reports each already known (stream, id) as a duplicate. */
  insert(events: readonly PredictionEvent[]): InsertEventsResult {
    const duplicateIndexes: number[] = [];
    this.insertAll(events, duplicateIndexes);
    return {
      inserted: events.length - duplicateIndexes.length,
      duplicates: duplicateIndexes.length,
      duplicateIndexes,
    };
  }

  /** Sets the actual of stored events by (stream, id), in one transaction. */
  applyActuals(updates: readonly ActualUpdate[]): ApplyActualsResult {
    const notFoundIndexes: number[] = [];
    this.updateAll(updates, notFoundIndexes);
    return { updated: updates.length - notFoundIndexes.length, notFoundIndexes };
  }

  /** Returns the events of a stream in [from, to), by timestamp, ties in insertion order. */
  query(stream: string, range: TimeRange): PredictionEvent[] {
    const rows = this.rangeStatement.all(stream, range.from, range.to) as EventRow[];
    return rows.map((row) => ({
      stream,
      version: row[0],
      id: row[1],
      timestamp: row[2],
      features: parseRecord(row[3]),
      prediction: row[4],
      actual: row[5],
      latencyMs: row[6],
      error: row[7] === 1,
    }));
  }

  listStreams(): string[] {
    return this.streamsStatement.all() as string[];
  }

  private insertRows(events: readonly PredictionEvent[], duplicates: number[]): void {
    const statement = this.insertStatement;
    for (let i = 0; i < events.length; i++) {
      const event = events[i]!;
      const info = statement.run(
        event.stream,
        event.id,
        event.timestamp,
        event.version,
        JSON.stringify(event.features),
        event.prediction,
        event.actual,
        event.latencyMs,
        event.error ? 1 : 0,
      );
      if (info.changes === 0) duplicates.push(i);
    }
  }

  private updateRows(updates: readonly ActualUpdate[], notFound: number[]): void {
    for (let i = 0; i < updates.length; i++) {
      const update = updates[i]!;
      const info = this.actualStatement.run(update.actual, update.stream, update.id);
      if (info.changes === 0) notFound.push(i);
    }
  }
}
