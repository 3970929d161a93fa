import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DATABASE_FILE, SqliteStore } from '../../../appliance/store/sqlite-store.ts';
import { SCHEMA_VERSION } from '../../../appliance/store/sqlite-schema.ts';
import { makeEvent } from './fixtures.ts';

const ALL_TIME = { from: 0, to: Number.MAX_SAFE_INTEGER };

function tempDirectory(t: { after: (fn: () => void) => void }): string {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-store-'));
  t.after(() => rmSync(directory, { recursive: true, force: true }));
  return directory;
}

void test('file store keeps data across reopen', (t) => {
  const directory = join(tempDirectory(t), 'nested', 'data');
  const first = SqliteStore.open({ directory });
  first.insertEvents([makeEvent({ id: 'a' }), makeEvent({ id: 'b', actual: 'x' })]);
  first.insertPoints([{ name: 'm', labels: { k: 'v' }, value: 2, timestamp: 5 }]);
  first.close();

  const second = SqliteStore.open({ directory });
  const events = second.queryEvents('bikes', ALL_TIME);
  const points = second.queryPoints('m', { k: 'v' }, ALL_TIME);
  const again = second.insertEvents([makeEvent({ id: 'a' })]);
  second.close();

  assert.ok(existsSync(join(directory, DATABASE_FILE)));
  assert.deepEqual(
    events.map((e) => e.id),
    ['a', 'b'],
  );
  assert.equal(events[1]!.actual, 'x');
  assert.deepEqual(points[0]!.values, [2]);
  assert.deepEqual(again.duplicateIndexes, [0]);
});

void test('file store uses WAL and full sync', (t) => {
  const directory = tempDirectory(t);
  SqliteStore.open({ directory }).close();

  const db = new Database(join(directory, DATABASE_FILE), { readonly: true });
  const journalMode = db.pragma('journal_mode', { simple: true });
  const version = db.prepare('SELECT max(version) FROM schema_migrations').pluck().get();
  db.close();

  assert.equal(journalMode, 'wal');
  assert.equal(version, SCHEMA_VERSION);
});

void test('open rejects a newer schema version', (t) => {
  const directory = tempDirectory(t);
  SqliteStore.open({ directory }).close();
  const db = new Database(join(directory, DATABASE_FILE));
  db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(SCHEMA_VERSION + 1, 'x', 0);
  db.close();

  assert.throws(() => SqliteStore.open({ directory }), /newer than this Vigil supports/);
});
