import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SqliteStore } from '../../appliance/store/sqlite-store.ts';
import { REPOSITORY, VIGIL_BIN, waitForLog } from './process-helpers.ts';

// Crash safety: SIGKILL `vigil serve` ten times while clients keep posting events, restart it
// each time, and check that every event acknowledged with 200 is stored exactly once.
// NOTE: alert state across the kills is not checked; the rule only keeps the engine busy.

const RESTARTS = 10;
const BATCH = 50;
const CLIENTS = 3;
const RULES = `version: 1
groups:
  - name: crash
    interval: 1s
    rules:
      - alert: CrashErrorRateHigh
        evaluator: ops.error_rate
        stream: crash
        window: 1h
        when: value > 0.5
`;

function startVigil(config: string): ChildProcess {
  return spawn('node', [VIGIL_BIN, 'serve', '--config', config], {
    cwd: REPOSITORY,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

/** Posts batches of new ids until `stop` is set or the server goes away; records the acknowledged ids. */
async function postUntilStopped(
  url: string,
  next: () => number,
  stop: () => boolean,
  acknowledged: string[],
): Promise<void> {
  while (!stop()) {
    const first = next();
    const events = Array.from({ length: BATCH }, (_, offset) => ({
      stream: 'crash',
      id: `e${first + offset}`,
      timestamp: Date.now(),
      features: { x: offset },
      prediction: 1,
      error: true,
    }));
    try {
      const response = await fetch(`${url}/api/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(events),
      });
      if (response.status === 200) {
        for (const event of events) acknowledged.push(event.id);
      }
    } catch {
      return;
    }
  }
}

test('acknowledged events survive ten SIGKILLs exactly once', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-sigkill-'));
  mkdirSync(join(directory, 'rules'));
  writeFileSync(join(directory, 'rules', 'crash.yaml'), RULES);
  const config = join(directory, 'appliance.yaml');
  writeFileSync(
    config,
    'http: { port: 0 }\nstore: { path: ./store }\nrules: { paths: [./rules] }\n',
  );

  const acknowledged: string[] = [];
  let counter = 0;
  try {
    for (let round = 0; round < RESTARTS; round++) {
      const vigil = startVigil(config);
      const url = String((await waitForLog(vigil, 'appliance started')).url);
      let killed = false;
      const clients = Array.from({ length: CLIENTS }, () =>
        postUntilStopped(
          url,
          () => (counter += BATCH) - BATCH,
          () => killed,
          acknowledged,
        ),
      );
      // Kill after a varying number of acknowledged batches, while the clients still post.
      const target = acknowledged.length + BATCH * (3 + (round % 4));
      while (!killed) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        if (vigil.exitCode !== null) throw new Error(`vigil exited with ${vigil.exitCode}`);
        if (acknowledged.length >= target) {
          vigil.kill('SIGKILL');
          killed = true;
        }
      }
      await new Promise((resolve) => vigil.once('close', resolve));
      await Promise.all(clients);
    }

    const store = SqliteStore.open({ directory: join(directory, 'store') });
    const stored = store
      .queryEvents('crash', { from: 0, to: Number.MAX_SAFE_INTEGER })
      .map((event) => event.id);
    store.close();
    const storedSet = new Set(stored);

    assert.ok(acknowledged.length >= RESTARTS * BATCH, `only ${acknowledged.length} acknowledged`);
    assert.equal(storedSet.size, stored.length, 'an event is stored twice');
    const missing = acknowledged.filter((id) => !storedSet.has(id));
    assert.deepEqual(missing, []);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
