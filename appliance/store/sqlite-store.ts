import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { AlertHistoryEntry, AlertInstanceState } from '../alerting/alert.ts';
import type { ActualUpdate, PredictionEvent, SeriesPoint, TimeRange } from '../core/types.ts';
import { silentLogger, type Logger } from '../log/logger.ts';
import type {
  ApplyActualsResult,
  InsertEventsResult,
  LabelMatchers,
  SeriesSamples,
  Store,
  StoredResult,
} from './store.ts';
import { SqliteAlerts } from './sqlite-alerts.ts';
import { SqliteEvents } from './sqlite-events.ts';
import { SqlitePrune } from './sqlite-prune.ts';
import { SqliteResults } from './sqlite-results.ts';
import { applyMigrations } from './sqlite-schema.ts';
import { SqliteSeries } from './sqlite-series.ts';
import { SqliteSilences } from './sqlite-silences.ts';

export interface SqliteStoreOptions {
  /** Directory of `vigil.db`, created when missing, or `':memory:'` for a throwaway store. */
  directory: string;
  /** The store's component logger, used as given. Logging is off when it is omitted. */
  logger?: Logger;
}

/** File name of the database inside the store directory. */
export const DATABASE_FILE = 'vigil.db';

/**
 * The embedded store: one SQLite database through better-sqlite3, in WAL mode with
 * `synchronous = FULL`, so every transaction fsyncs the WAL before its write call returns.
 * An acknowledged write therefore survives a killed process and also a power loss or OS
 * crash. With NORMAL, WAL mode would survive a killed process but, as SQLite's PRAGMA
 * synchronous documentation states, could roll back the last commits after a power loss. All methods are synchronous and hold the event loop while SQLite
 * works. A write method throws only when SQLite fails (disk full, I/O error), and then
 * nothing of that call was committed.
 */
export class SqliteStore implements Store {
  private readonly events: SqliteEvents;
  private readonly series: SqliteSeries;
  private readonly results: SqliteResults;
  private readonly alerts: SqliteAlerts;
  private readonly pruner: SqlitePrune;
  /** Silences and the notification log of alert delivery. */
  readonly delivery: SqliteSilences;

  private constructor(
    private readonly db: Database.Database,
    private readonly logger: Logger,
  ) {
    this.events = new SqliteEvents(db);
    this.series = new SqliteSeries(db);
    this.results = new SqliteResults(db);
    this.alerts = new SqliteAlerts(db);
    this.pruner = new SqlitePrune(db, () => this.events.listStreams());
    this.delivery = new SqliteSilences(db);
  }

  /** Opens (creating when missing) the database and applies pending schema migrations. */
  static open(options: SqliteStoreOptions): SqliteStore {
    const logger = options.logger ?? silentLogger();
    const inMemory = options.directory === ':memory:';
    const path = inMemory ? ':memory:' : join(options.directory, DATABASE_FILE);
    if (!inMemory) mkdirSync(options.directory, { recursive: true });

    const db = new Database(path);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('busy_timeout = 5000');
      const applied = applyMigrations(db);
      if (applied.length > 0) logger.info({ path, versions: applied }, 'schema migrations applied');
    } catch (error) {
      db.close();
      throw new Error(`failed to open the SQLite store at ${path}: ${String(error)}`, {
        cause: error,
      });
    }

    const journalMode = db.pragma('journal_mode', { simple: true }) as string;
    logger.info({ path, journalMode, synchronous: 'full' }, 'store opened');
    return new SqliteStore(db, logger);
  }

  /** Inserts in one transaction. A (stream, id) seen before, also earlier in `events`, is a duplicate. */
  insertEvents(events: readonly PredictionEvent[]): InsertEventsResult {
    return this.events.insert(events);
  }

  applyActuals(updates: readonly ActualUpdate[]): ApplyActualsResult {
    return this.events.applyActuals(updates);
  }

  insertPoints(points: readonly SeriesPoint[]): number {
    return this.series.insert(points);
  }

  queryEvents(stream: string, range: TimeRange): PredictionEvent[] {
    return this.events.query(stream, range);
  }

  queryPoints(name: string, matchers: LabelMatchers, range: TimeRange): SeriesSamples[] {
    return this.series.query(name, matchers, range);
  }

  listStreams(): string[] {
    return this.events.listStreams();
  }

  writeResults(results: readonly StoredResult[]): void {
    this.results.write(results);
  }

  queryResults(rule: string, range: TimeRange): StoredResult[] {
    return this.results.query(rule, range);
  }

  loadAlertStates(): AlertInstanceState[] {
    return this.alerts.loadStates();
  }

  saveAlertStates(states: readonly AlertInstanceState[], removed: readonly string[]): void {
    this.alerts.saveStates(states, removed);
  }

  appendAlertHistory(entries: readonly AlertHistoryEntry[]): void {
    this.alerts.appendHistory(entries);
  }

  queryAlertHistory(range: TimeRange, rule?: string): AlertHistoryEntry[] {
    return this.alerts.queryHistory(range, rule);
  }

  /**
   * Deletes events, points, results and alert history older than `before` (epoch ms) in
   * chunks, at most `maxRows` rows per call, and returns the rows deleted. Alert states are
   * kept: they are current, not history.
   */
  prune(before: number, maxRows: number = Number.POSITIVE_INFINITY): number {
    const deleted = this.pruner.run(before, maxRows);
    this.logger.info({ before, deleted }, 'store pruned');
    return deleted;
  }

  close(): void {
    if (!this.db.open) return;
    this.db.close();
    this.logger.info('store closed');
  }
}
