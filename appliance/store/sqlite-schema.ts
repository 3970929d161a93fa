import type Database from 'better-sqlite3';

/**
 * One forward-only schema change. Migrations run in version order at open, each in its own
 * transaction together with its row in `schema_migrations`, so a crash mid-migration leaves
 * the previous version intact.
 */
interface Migration {
  version: number;
  description: string;
  sql: string;
}

/*
 * Column notes:
 * - `events.prediction` and `events.actual` have no declared type, so the column affinity is
 *   BLOB and SQLite keeps the storage class that was bound: a number stays REAL, a string
 *   stays TEXT (the label '1' does not turn into the number 1).
 * - `features`, `labels`, `annotations`, `result_values` and `convention` are JSON text.
 * - A NULL in `points.value` or `alert_*.value` is NaN, because SQLite stores a bound NaN
 *   as NULL.
 * - Columns are named `rule_group` and `result_values` since GROUP and VALUES are SQL keywords.
 */
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'events, series, points, results, alert states and alert history',
    sql: `
      CREATE TABLE events (
        stream TEXT NOT NULL,
        id TEXT NOT NULL,
        ts INTEGER NOT NULL,
        version TEXT NOT NULL,
        features TEXT NOT NULL,
        prediction,
        actual,
        latency_ms REAL,
        error INTEGER NOT NULL,
        PRIMARY KEY (stream, id)
      );
      CREATE INDEX events_stream_ts ON events (stream, ts);

      CREATE TABLE series (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        labels TEXT NOT NULL,
        UNIQUE (name, labels)
      );
      CREATE TABLE points (
        series_id INTEGER NOT NULL,
        ts INTEGER NOT NULL,
        value REAL,
        PRIMARY KEY (series_id, ts)
      ) WITHOUT ROWID;

      CREATE TABLE results (
        ts INTEGER NOT NULL,
        rule TEXT NOT NULL,
        rule_group TEXT NOT NULL,
        evaluator TEXT NOT NULL,
        labels TEXT NOT NULL,
        result_values TEXT NOT NULL,
        convention TEXT NOT NULL,
        reason TEXT
      );
      CREATE INDEX results_rule_ts ON results (rule, ts);
      CREATE INDEX results_ts ON results (ts);

      CREATE TABLE alert_states (
        key TEXT PRIMARY KEY,
        rule_group TEXT NOT NULL,
        rule TEXT NOT NULL,
        state TEXT NOT NULL,
        labels TEXT NOT NULL,
        annotations TEXT NOT NULL,
        active_at INTEGER NOT NULL,
        fired_at INTEGER NOT NULL,
        last_evaluated_at INTEGER NOT NULL,
        value REAL
      );

      CREATE TABLE alert_history (
        ts INTEGER NOT NULL,
        key TEXT NOT NULL,
        rule_group TEXT NOT NULL,
        rule TEXT NOT NULL,
        transition TEXT NOT NULL,
        labels TEXT NOT NULL,
        annotations TEXT NOT NULL,
        value REAL
      );
      CREATE INDEX alert_history_ts ON alert_history (ts);
      CREATE INDEX alert_history_rule_ts ON alert_history (rule, ts);
    `,
  },
  {
    version: 2,
    description: 'silences and the notification log',
    sql: `
      CREATE TABLE silences (
        id TEXT PRIMARY KEY,
        matchers TEXT NOT NULL,
        starts_at INTEGER NOT NULL,
        ends_at INTEGER NOT NULL,
        created_by TEXT NOT NULL,
        comment TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );

      CREATE TABLE notification_log (
        receiver TEXT NOT NULL,
        group_key TEXT NOT NULL,
        firing TEXT NOT NULL,
        resolved TEXT NOT NULL,
        hash TEXT NOT NULL,
        sent_at INTEGER NOT NULL,
        PRIMARY KEY (receiver, group_key)
      );
    `,
  },
  {
    version: 3,
    description: 'keep_firing_for hold, missed evaluations and cause of alert states',
    sql: `
      ALTER TABLE alert_states ADD COLUMN keep_firing_since INTEGER;
      ALTER TABLE alert_states ADD COLUMN missed_evaluations INTEGER;
      ALTER TABLE alert_states ADD COLUMN cause TEXT;
    `,
  },
];

/** The schema version this build of Vigil writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/**
 * Brings the database up to `SCHEMA_VERSION` and returns the versions it applied.
 * Throws when the database was written by a newer Vigil, because an older build cannot know
 * what the newer tables mean.
 */
export function applyMigrations(db: Database.Database, now: number = Date.now()): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    description TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`);

  const current = readSchemaVersion(db);
  if (current > SCHEMA_VERSION) {
    throw new Error(
      `database schema version ${current} is newer than this Vigil supports (${SCHEMA_VERSION}). ` +
        'Upgrade Vigil, or point the store at another directory.',
    );
  }

  const record = db.prepare(
    'INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)',
  );
  const applied: number[] = [];
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.version, migration.description, now);
    })();
    applied.push(migration.version);
  }
  return applied;
}

/** Returns the highest applied migration version, 0 for a new database. */
export function readSchemaVersion(db: Database.Database): number {
  const row = db.prepare('SELECT max(version) AS version FROM schema_migrations').get() as {
    version: number | null;
  };
  return row.version ?? 0;
}
