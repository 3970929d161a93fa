import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import express from 'express';

import { Silences } from '../../../appliance/alerting/silence.ts';
import { errorHandler } from '../../../appliance/http/http-error.ts';
import { addSilenceRoutes } from '../../../appliance/http/routes/silences-routes.ts';
import { silentLogger } from '../../../appliance/log/logger.ts';
import { SqliteStore } from '../../../appliance/store/sqlite-store.ts';

void test('silences API creates, lists and expires silences that survive a reopen', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-silences-'));
  const store = SqliteStore.open({ directory });
  const app = express();
  const router = express.Router();
  addSilenceRoutes(router, new Silences({ store: store.delivery }));
  app.use(router);
  app.use(errorHandler(silentLogger()));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v2`;

  try {
    const body = {
      matchers: [{ name: 'feature', value: 'temp|hum', isRegex: true }],
      startsAt: new Date(Date.now() - 1000).toISOString(),
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      createdBy: 'ops',
      comment: 'sensor swap',
    };
    const created = await fetch(`${base}/silences`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(created.status, 200);
    const { silenceID } = (await created.json()) as { silenceID: string };

    const bad = await fetch(`${base}/silences`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...body, endsAt: body.startsAt }),
    });
    assert.equal(bad.status, 400);

    const listed = (await (await fetch(`${base}/silences`)).json()) as {
      id: string;
      status: { state: string };
    }[];
    assert.deepEqual(
      listed.map((s) => [s.id, s.status.state]),
      [[silenceID, 'active']],
    );

    assert.equal((await fetch(`${base}/silence/${silenceID}`, { method: 'DELETE' })).status, 200);
    assert.equal((await fetch(`${base}/silence/nope`, { method: 'DELETE' })).status, 404);
  } finally {
    server.close();
    store.close();
  }

  const reopened = SqliteStore.open({ directory });
  const silences = new Silences({ store: reopened.delivery });
  assert.equal(silences.list().length, 1);
  assert.equal(silences.isSilenced({ feature: 'temp' }, Date.now() + 1000), false);
  assert.equal(silences.list()[0]?.comment, 'sensor swap');
  reopened.close();
  rmSync(directory, { recursive: true, force: true });
});
