import type Database from 'better-sqlite3';
import type { AlertCause, AlertHistoryEntry, AlertInstanceState } from '../alerting/alert.ts';
import type { TimeRange } from '../core/types.ts';
import { parseRecord, realOrNaN } from './sqlite-codec.ts';

type StateRow = {
  key: string;
  rule_group: string;
  rule: string;
  state: AlertInstanceState['state'];
  labels: string;
  annotations: string;
  active_at: number;
  fired_at: number;
  last_evaluated_at: number;
  value: number | null;
  keep_firing_since: number | null;
  missed_evaluations: number | null;
  cause: AlertCause | null;
};

type HistoryRow = {
  ts: number;
  key: string;
  rule_group: string;
  rule: string;
  transition: AlertHistoryEntry['transition'];
  labels: string;
  annotations: string;
  value: number | null;
};

/** The `alert_states` and `alert_history` tables, so alerts resume after a restart. */
export class SqliteAlerts {
  private readonly upsertState: Database.Statement;
  private readonly deleteState: Database.Statement;
  private readonly allStates: Database.Statement;
  private readonly insertHistory: Database.Statement;
  private readonly historyRange: Database.Statement;
  private readonly historyRuleRange: Database.Statement;
  private readonly saveAll: (
    states: readonly AlertInstanceState[],
    removed: readonly string[],
  ) => void;
  private readonly appendAll: (entries: readonly AlertHistoryEntry[]) => void;

  constructor(db: Database.Database) {
    this.upsertState = db.prepare(
      'INSERT OR REPLACE INTO alert_states (key, rule_group, rule, state, labels, annotations, ' +
        'active_at, fired_at, last_evaluated_at, value, keep_firing_since, missed_evaluations, ' +
        'cause) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.deleteState = db.prepare('DELETE FROM alert_states WHERE key = ?');
    this.allStates = db.prepare('SELECT * FROM alert_states ORDER BY key');
    this.insertHistory = db.prepare(
      'INSERT INTO alert_history (ts, key, rule_group, rule, transition, labels, annotations, ' +
        'value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.historyRange = db.prepare(
      'SELECT * FROM alert_history WHERE ts >= ? AND ts < ? ORDER BY ts, rowid',
    );
    this.historyRuleRange = db.prepare(
      'SELECT * FROM alert_history WHERE rule = ? AND ts >= ? AND ts < ? ORDER BY ts, rowid',
    );
    this.saveAll = db.transaction((states, removed) => this.saveRows(states, removed));
    this.appendAll = db.transaction((entries) => this.appendRows(entries));
  }

  loadStates(): AlertInstanceState[] {
    return (this.allStates.all() as StateRow[]).map((row) => this.stateFromRow(row));
  }

  private stateFromRow(row: StateRow): AlertInstanceState {
    const state: AlertInstanceState = {
      key: row.key,
      group: row.rule_group,
      rule: row.rule,
      state: row.state,
      labels: parseRecord(row.labels),
      annotations: parseRecord(row.annotations),
      activeAt: row.active_at,
      firedAt: row.fired_at,
      lastEvaluatedAt: row.last_evaluated_at,
      value: realOrNaN(row.value),
    };
    if (row.keep_firing_since !== null) state.keepFiringSince = row.keep_firing_since;
    if (row.missed_evaluations !== null) state.missedEvaluations = row.missed_evaluations;
    if (row.cause !== null) state.cause = row.cause;
    return state;
  }

  /** Upserts `states` and deletes the `removed` keys in one transaction. */
  saveStates(states: readonly AlertInstanceState[], removed: readonly string[]): void {
    this.saveAll(states, removed);
  }

  appendHistory(entries: readonly AlertHistoryEntry[]): void {
    this.appendAll(entries);
  }

  /** Returns history entries in [from, to), by time, for one rule when `rule` is given. */
  queryHistory(range: TimeRange, rule?: string): AlertHistoryEntry[] {
    const rows = (
      rule === undefined
        ? this.historyRange.all(range.from, range.to)
        : this.historyRuleRange.all(rule, range.from, range.to)
    ) as HistoryRow[];
    return rows.map((row) => ({
      timestamp: row.ts,
      key: row.key,
      group: row.rule_group,
      rule: row.rule,
      transition: row.transition,
      labels: parseRecord(row.labels),
      annotations: parseRecord(row.annotations),
      value: realOrNaN(row.value),
    }));
  }

  private saveRows(states: readonly AlertInstanceState[], removed: readonly string[]): void {
    for (const state of states) {
      this.upsertState.run(
        state.key,
        state.group,
        state.rule,
        state.state,
        JSON.stringify(state.labels),
        JSON.stringify(state.annotations),
        state.activeAt,
        state.firedAt,
        state.lastEvaluatedAt,
        state.value,
        state.keepFiringSince ?? null,
        state.missedEvaluations ?? null,
        state.cause ?? null,
      );
    }
    for (const key of removed) this.deleteState.run(key);
  }

  private appendRows(entries: readonly AlertHistoryEntry[]): void {
    for (const entry of entries) {
      this.insertHistory.run(
        entry.timestamp,
        entry.key,
        entry.group,
        entry.rule,
        entry.transition,
        JSON.stringify(entry.labels),
        JSON.stringify(entry.annotations),
        entry.value,
      );
    }
  }
}
