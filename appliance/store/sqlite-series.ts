import type Database from 'better-sqlite3';
import type { SeriesPoint, TimeRange } from '../core/types.ts';
import type { LabelMatchers, SeriesSamples } from './store.ts';
import { canonicalLabels, matchesLabels } from './labels.ts';
import { parseRecord, realOrNaN } from './sqlite-codec.ts';

/**
 * The `series` and `points` tables. A series is one name and one labelset, stored once with
 * an integer id, and each point is (series_id, ts, value). A second point of a series at the same
 * timestamp replaces the first, so a replayed batch does not double a series.
 */
export class SqliteSeries {
  /** Series ids by `name \0 canonical labels`, filled as series are seen. */
  private readonly ids = new Map<string, number>();
  private readonly findStatement: Database.Statement;
  private readonly createStatement: Database.Statement;
  private readonly pointStatement: Database.Statement;
  private readonly byNameStatement: Database.Statement;
  private readonly rangeStatement: Database.Statement;
  private readonly insertAll: (points: readonly SeriesPoint[]) => void;

  constructor(db: Database.Database) {
    this.findStatement = db.prepare('SELECT id FROM series WHERE name = ? AND labels = ?').pluck();
    this.createStatement = db.prepare('INSERT INTO series (name, labels) VALUES (?, ?)');
    this.pointStatement = db.prepare(
      'INSERT OR REPLACE INTO points (series_id, ts, value) VALUES (?, ?, ?)',
    );
    this.byNameStatement = db
      .prepare('SELECT id, labels FROM series WHERE name = ? ORDER BY labels')
      .raw();
    this.rangeStatement = db
      .prepare(
        'SELECT ts, value FROM points WHERE series_id = ? AND ts >= ? AND ts < ? ORDER BY ts',
      )
      .raw();
    this.insertAll = db.transaction((points) => this.insertRows(points));
  }

  /** Writes the points in one transaction and returns how many were written. */
  insert(points: readonly SeriesPoint[]): number {
    try {
      this.insertAll(points);
    } catch (error) {
      // Ids of series created in the rolled-back transaction are no longer valid.
      this.ids.clear();
      throw error;
    }
    return points.length;
  }

  /** Returns the series of `name` matching every matcher that have points in the range. */
  query(name: string, matchers: LabelMatchers, range: TimeRange): SeriesSamples[] {
    const result: SeriesSamples[] = [];
    for (const [id, labelsJson] of this.byNameStatement.all(name) as [number, string][]) {
      const labels = parseRecord<string>(labelsJson);
      if (!matchesLabels(labels, matchers)) continue;

      const rows = this.rangeStatement.all(id, range.from, range.to) as [number, number | null][];
      if (rows.length === 0) continue;
      result.push({
        name,
        labels,
        timestamps: rows.map((row) => row[0]),
        values: rows.map((row) => realOrNaN(row[1])),
      });
    }
    return result;
  }

  private insertRows(points: readonly SeriesPoint[]): void {
    for (const point of points) {
      const seriesId = this.seriesId(point.name, point.labels);
      this.pointStatement.run(seriesId, point.timestamp, point.value);
    }
  }

  private seriesId(name: string, labels: Readonly<Record<string, string>>): number {
    const labelsJson = canonicalLabels(labels);
    const key = `${name}\0${labelsJson}`;
    const cached = this.ids.get(key);
    if (cached !== undefined) return cached;

    const found = this.findStatement.get(name, labelsJson) as number | undefined;
    const id = found ?? Number(this.createStatement.run(name, labelsJson).lastInsertRowid);
    this.ids.set(key, id);
    return id;
  }
}
