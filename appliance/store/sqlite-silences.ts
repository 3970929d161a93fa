import type Database from 'better-sqlite3';
import type { NotificationLog, NotificationLogEntry } from '../alerting/notification-log.ts';
import type { Silence, SilenceStore } from '../alerting/silence.ts';

type SilenceRow = {
  id: string;
  matchers: string;
  starts_at: number;
  ends_at: number;
  created_by: string;
  comment: string;
  updated_at: number;
};

type NotificationRow = {
  receiver: string;
  group_key: string;
  firing: string;
  resolved: string;
  hash: string;
  sent_at: number;
};

/**
 * The `silences` and `notification_log` tables (schema version 2): the delivery state that
 * must survive a restart, so silences stay in force and a delivered notification is not sent
 * twice. Each write is its own committed statement.
 */
export class SqliteSilences implements SilenceStore, NotificationLog {
  private readonly upsertSilence: Database.Statement;
  private readonly allSilences: Database.Statement;
  private readonly upsertNotification: Database.Statement;
  private readonly removeNotification: Database.Statement;
  private readonly allNotifications: Database.Statement;

  constructor(db: Database.Database) {
    this.upsertSilence = db.prepare(
      'INSERT OR REPLACE INTO silences (id, matchers, starts_at, ends_at, created_by, comment, ' +
        'updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.allSilences = db.prepare('SELECT * FROM silences ORDER BY starts_at, id');
    this.upsertNotification = db.prepare(
      'INSERT OR REPLACE INTO notification_log (receiver, group_key, firing, resolved, hash, ' +
        'sent_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.removeNotification = db.prepare(
      'DELETE FROM notification_log WHERE receiver = ? AND group_key = ?',
    );
    this.allNotifications = db.prepare(
      'SELECT * FROM notification_log ORDER BY receiver, group_key',
    );
  }

  loadSilences(): Silence[] {
    return (this.allSilences.all() as SilenceRow[]).map((row) => ({
      id: row.id,
      matchers: JSON.parse(row.matchers) as Silence['matchers'],
      startsAt: row.starts_at,
      endsAt: row.ends_at,
      createdBy: row.created_by,
      comment: row.comment,
      updatedAt: row.updated_at,
    }));
  }

  saveSilence(silence: Silence): void {
    this.upsertSilence.run(
      silence.id,
      JSON.stringify(silence.matchers),
      silence.startsAt,
      silence.endsAt,
      silence.createdBy,
      silence.comment,
      silence.updatedAt,
    );
  }

  loadNotifications(): NotificationLogEntry[] {
    return (this.allNotifications.all() as NotificationRow[]).map((row) => ({
      receiver: row.receiver,
      groupKey: row.group_key,
      firing: JSON.parse(row.firing) as NotificationLogEntry['firing'],
      resolved: JSON.parse(row.resolved) as string[],
      hash: row.hash,
      sentAt: row.sent_at,
    }));
  }

  saveNotification(entry: NotificationLogEntry): void {
    this.upsertNotification.run(
      entry.receiver,
      entry.groupKey,
      JSON.stringify(entry.firing),
      JSON.stringify(entry.resolved),
      entry.hash,
      entry.sentAt,
    );
  }

  deleteNotification(receiver: string, groupKey: string): void {
    this.removeNotification.run(receiver, groupKey);
  }
}
