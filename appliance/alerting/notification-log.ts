import { createHash } from 'node:crypto';
import type { Alert } from './alert.ts';

/** One firing alert of a sent notification, with the rule group that produced it. */
export interface LoggedAlert {
  ruleGroup: string;
  alert: Alert;
}

/**
 * The last notification delivered to one receiver for one alert group, as Alertmanager's
 * notification log. `firing` lets a restarted Vigil know what the receiver was told, so it
 * neither repeats a notification nor forgets to send the resolution.
 */
export interface NotificationLogEntry {
  receiver: string;
  groupKey: string;
  /** Firing alerts of the notification. */
  firing: LoggedAlert[];
  /** Fingerprints sent as resolved. */
  resolved: string[];
  /** SHA-256 of the sorted firing and resolved fingerprints. */
  hash: string;
  /** Engine-clock time of the flush that sent it, epoch ms. */
  sentAt: number;
}

export interface NotificationLog {
  loadNotifications(): NotificationLogEntry[];
  /** Stores the entry of (receiver, groupKey), replacing the previous one. */
  saveNotification(entry: NotificationLogEntry): void;
  deleteNotification(receiver: string, groupKey: string): void;
}

/** A notification log that lives in memory, for tests and for a store without one. */
export class MemoryNotificationLog implements NotificationLog {
  readonly entries = new Map<string, NotificationLogEntry>();

  loadNotifications(): NotificationLogEntry[] {
    return [...this.entries.values()];
  }

  saveNotification(entry: NotificationLogEntry): void {
    this.entries.set(JSON.stringify([entry.receiver, entry.groupKey]), entry);
  }

  deleteNotification(receiver: string, groupKey: string): void {
    this.entries.delete(JSON.stringify([receiver, groupKey]));
  }
}

export function alertSetHash(firing: readonly string[], resolved: readonly string[]): string {
  const text = `${[...firing].sort().join(',')}|${[...resolved].sort().join(',')}`;
  return createHash('sha256').update(text).digest('hex');
}
