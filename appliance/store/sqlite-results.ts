import type Database from 'better-sqlite3';
import type { TimeRange } from '../core/types.ts';
import type { StoredResult } from './store.ts';
import { parseNumbers, parseRecord, stringifyNumbers } from './sqlite-codec.ts';

type ResultRow = [
  ts: number,
  group: string,
  evaluator: string,
  labels: string,
  values: string,
  convention: string,
  reason: string | null,
];

/** The `results` table: one row per evaluator output and evaluation time. */
export class SqliteResults {
  private readonly insertStatement: Database.Statement;
  private readonly rangeStatement: Database.Statement;
  private readonly insertAll: (results: readonly StoredResult[]) => void;

  constructor(db: Database.Database) {
    this.insertStatement = db.prepare(
      'INSERT INTO results ' +
        '(ts, rule, rule_group, evaluator, labels, result_values, convention, reason) ' +
        'VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.rangeStatement = db
      .prepare(
        'SELECT ts, rule_group, evaluator, labels, result_values, convention, reason ' +
          'FROM results WHERE rule = ? AND ts >= ? AND ts < ? ORDER BY ts, rowid',
      )
      .raw();
    this.insertAll = db.transaction((results) => this.insertRows(results));
  }

  write(results: readonly StoredResult[]): void {
    this.insertAll(results);
  }

  /** Returns the results of a rule in [from, to), by evaluation time. */
  query(rule: string, range: TimeRange): StoredResult[] {
    const rows = this.rangeStatement.all(rule, range.from, range.to) as ResultRow[];
    return rows.map((row) => {
      const result: StoredResult = {
        timestamp: row[0],
        rule,
        group: row[1],
        evaluator: row[2],
        labels: parseRecord(row[3]),
        values: parseNumbers(row[4]),
        convention: parseRecord(row[5]),
      };
      if (row[6] !== null) result.reason = row[6];
      return result;
    });
  }

  private insertRows(results: readonly StoredResult[]): void {
    for (const result of results) {
      this.insertStatement.run(
        result.timestamp,
        result.rule,
        result.group,
        result.evaluator,
        JSON.stringify(result.labels),
        stringifyNumbers(result.values),
        JSON.stringify(result.convention),
        result.reason ?? null,
      );
    }
  }
}
