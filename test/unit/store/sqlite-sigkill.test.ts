import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteStore } from '../../../appliance/store/sqlite-store.ts';

const WRITER = fileURLToPath(new URL('./sigkill-writer.ts', import.meta.url));
const BATCH_SIZE = 500;
const KILL_AFTER_BATCHES = 20;

/** Runs the writer and kills it with SIGKILL as soon as it acknowledged enough batches. */
function runAndKill(directory: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = fork(WRITER, [directory, String(BATCH_SIZE)], {
      execArgv: ['--import', 'tsx'],
      stdio: 'inherit',
    });
    let acknowledged = -1;
    child.on('message', (message: { committed: number }) => {
      acknowledged = Math.max(acknowledged, message.committed);
      if (acknowledged + 1 >= KILL_AFTER_BATCHES) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acknowledged + 1);
      else reject(new Error(`writer exited with ${String(signal ?? code)} before it was killed`));
    });
  });
}

void test('acknowledged events survive SIGKILL', async (t) => {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-sigkill-'));
  t.after(() => rmSync(directory, { recursive: true, force: true }));

  const acknowledgedBatches = await runAndKill(directory);
  const store = SqliteStore.open({ directory });
  const events = store.queryEvents('bikes', { from: 0, to: Number.MAX_SAFE_INTEGER });
  store.close();

  const ids = new Set(events.map((e) => e.id));
  assert.ok(acknowledgedBatches >= KILL_AFTER_BATCHES);
  for (let batch = 0; batch < acknowledgedBatches; batch++) {
    for (let i = 0; i < BATCH_SIZE; i++) {
      assert.ok(ids.has(`${batch}-${i}`), `acknowledged event ${batch}-${i} is missing`);
    }
  }
  assert.equal(events.length % BATCH_SIZE, 0, 'a batch was stored in part');
  assert.equal(ids.size, events.length);
});
