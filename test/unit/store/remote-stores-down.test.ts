import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRemoteStores } from '../../../appliance/store/remote-stores.ts';
import { Outbox } from '../../../appliance/store/outbox/outbox.ts';
import { SqliteStore } from '../../../appliance/store/sqlite-store.ts';
import { silentLogger } from '../../../appliance/log/logger.ts';
import { makeEvent } from './fixtures.ts';

/** A loopback port with nothing listening: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

// The client fails a refused connection after its retries, about 7 s here, so the loop waits up to 20 s.
test('store down: degraded check, entries kept on close', async (t) => {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-remote-down-'));
  t.after(() => rmSync(directory, { recursive: true, force: true }));
  const inner = SqliteStore.open({ directory });
  const url = `http://127.0.0.1:${await closedPort()}`;
  const remote = openRemoteStores({
    inner,
    config: { documents: { kind: 'opensearch', url } },
    directory,
    logger: silentLogger(),
  });

  remote.store.insertEvents([makeEvent({ id: 'kept' })]);
  let checks = remote.checks();
  for (let i = 0; i < 400 && !checks.outbox_events?.startsWith('degraded'); i++) {
    await new Promise((r) => setTimeout(r, 50));
    checks = remote.checks();
  }
  const left = await remote.close(200);
  inner.close();

  assert.deepEqual(left, { events: 1 });
  assert.match(checks.outbox_events ?? '', /^degraded: /);
  assert.match(checks.store_documents ?? '', /^layout failed: /);
  const reopened = new Outbox({ path: join(directory, 'outbox.db') });
  const entries = reopened.oldest('events', 10);
  reopened.close();
  assert.equal(entries.length, 1);
  assert.equal((entries[0]!.items[0] as { id: string }).id, 'kept');
});
