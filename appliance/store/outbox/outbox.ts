import Database from 'better-sqlite3';
import type { Registry } from 'prom-client';
import { registerOutboxGauges } from './outbox-metrics.ts';

export interface OutboxOptions {
  /** SQLite file of the outbox alone, apart from the embedded store's database. */
  path: string;
  /** Payload bytes held before `append` rejects. Default 256 MiB. */
  maxBytes?: number;
  /** Targets shown in the gauges even while empty, such as `influx` and `documents`. */
  targets?: readonly string[];
  registry?: Registry;
  now?: () => number;
}

/** One appended batch: a JSON array of items for one target. */
export interface OutboxEntry {
  seq: number;
  target: string;
  createdMs: number;
  items: unknown[];
}

export type AppendResult = { ok: true; seq: number } | { ok: false; reason: string };

const SCHEMA = `
CREATE TABLE IF NOT EXISTS outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  target TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  payload TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS outbox_target_seq ON outbox (target, seq);
`;

/**
 * A durable queue of batches bound for remote stores. `append` returns after the row committed
 * in WAL mode, so an appended batch survives a kill of the process. Entries of one target are
 * read back in append order and deleted only by `ack`, after the remote store stored them.
 */
export class Outbox {
  readonly maxBytes: number;
  private readonly db: Database.Database;
  private readonly bytes = new Map<string, number>();
  private readonly now: () => number;

  constructor(options: OutboxOptions) {
    this.maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
    this.now = options.now ?? Date.now;
    this.db = new Database(options.path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);

    for (const target of options.targets ?? []) this.bytes.set(target, 0);
    const rows = this.db
      .prepare('SELECT target, SUM(bytes) AS bytes FROM outbox GROUP BY target')
      .all() as { target: string; bytes: number }[];
    for (const row of rows) this.bytes.set(row.target, row.bytes);

    registerOutboxGauges(
      {
        targets: () => [...this.bytes.keys()],
        depthBytes: (target) => this.bytes.get(target) ?? 0,
        oldestCreatedMs: (target) => this.oldest(target, 1)[0]?.createdMs,
        now: this.now,
      },
      options.registry,
    );
  }

  /** Payload bytes held for all targets. */
  get depthBytes(): number {
    let total = 0;
    for (const bytes of this.bytes.values()) total += bytes;
    return total;
  }

  /** Returns why a batch of `incoming` bytes would be rejected now, or undefined if it fits. */
  fullReason(incoming = 0): string | undefined {
    const depth = this.depthBytes;
    if (depth + incoming <= this.maxBytes && depth < this.maxBytes) return undefined;
    return `the outbox for remote stores contains ${depth} bytes, its limit is ${this.maxBytes}: the remote store is unreachable or slow; retry after it recovers or raise the outbox limit`;
  }

  /**
   * Appends one batch durably. It rejects a batch that would pass `maxBytes`, unless `pastLimit`
   * is set for records already committed elsewhere, which must not be lost. Never throws.
   */
  append(
    target: string,
    items: readonly unknown[],
    options: { pastLimit?: boolean } = {},
  ): AppendResult {
    const payload = JSON.stringify(items);
    const size = Buffer.byteLength(payload);
    const full = options.pastLimit ? undefined : this.fullReason(size);
    if (full !== undefined) return { ok: false, reason: full };
    try {
      const info = this.db
        .prepare('INSERT INTO outbox (target, created_ms, bytes, payload) VALUES (?, ?, ?, ?)')
        .run(target, this.now(), size, payload);
      this.bytes.set(target, (this.bytes.get(target) ?? 0) + size);
      return { ok: true, seq: Number(info.lastInsertRowid) };
    } catch (error) {
      return { ok: false, reason: `the outbox write failed: ${(error as Error).message}` };
    }
  }

  /** Returns the oldest `limit` entries of a target, in append order. */
  oldest(target: string, limit: number): OutboxEntry[] {
    return this.batch(target, { maxEntries: limit });
  }

  /**
   * Returns the oldest entries of a target in append order, at most `maxEntries` and, past the
   * first entry, at most `maxBytes` of payload, and only entries with `seq < beforeSeq`.
   */
  batch(
    target: string,
    limits: { maxEntries: number; maxBytes?: number; beforeSeq?: number },
  ): OutboxEntry[] {
    const rows = this.db
      .prepare(
        'SELECT seq, created_ms, bytes, payload FROM outbox WHERE target = ? AND seq < ? ' +
          'ORDER BY seq LIMIT ?',
      )
      .iterate(target, limits.beforeSeq ?? Number.MAX_SAFE_INTEGER, limits.maxEntries) as Iterable<{
      seq: number;
      created_ms: number;
      bytes: number;
      payload: string;
    }>;
    const entries: OutboxEntry[] = [];
    let bytes = 0;
    for (const row of rows) {
      bytes += row.bytes;
      if (entries.length > 0 && bytes > (limits.maxBytes ?? Infinity)) break;
      const items = JSON.parse(row.payload) as unknown[];
      entries.push({ seq: row.seq, target, createdMs: row.created_ms, items });
    }
    return entries;
  }

  /** Returns the sequence number of the oldest entry of a target, or undefined when it is empty. */
  firstSeq(target: string): number | undefined {
    const row = this.db
      .prepare('SELECT MIN(seq) AS seq FROM outbox WHERE target = ?')
      .get(target) as { seq: number | null };
    return row.seq ?? undefined;
  }

  /** Returns how many entries of a target wait for delivery. */
  count(target: string): number {
    const row = this.db
      .prepare('SELECT COUNT(*) AS entries FROM outbox WHERE target = ?')
      .get(target) as { entries: number };
    return row.entries;
  }

  /** Deletes the entries of a target up to and including `seq`, once they are stored remotely. */
  ack(target: string, seq: number): void {
    const remove = this.db.transaction(() => {
      const freed = this.db
        .prepare(
          'SELECT COALESCE(SUM(bytes), 0) AS bytes FROM outbox WHERE target = ? AND seq <= ?',
        )
        .get(target, seq) as { bytes: number };
      this.db.prepare('DELETE FROM outbox WHERE target = ? AND seq <= ?').run(target, seq);
      return freed.bytes;
    });
    const freed = remove();
    this.bytes.set(target, Math.max(0, (this.bytes.get(target) ?? 0) - freed));
  }

  close(): void {
    this.db.close();
  }
}
