import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';

import { Silences } from '../../../appliance/alerting/silence.ts';
import { errorHandler } from '../../../appliance/http/http-error.ts';
import { addSilenceRoutes } from '../../../appliance/http/routes/silences-routes.ts';
import { silentLogger } from '../../../appliance/log/logger.ts';
import { SqliteStore } from '../../../appliance/store/sqlite-store.ts';

const PORT = 19721;

// A client mistake in the body gets a 4xx with a stable code, not a 500 "internal error".
const cases: [string, string, string, number, string][] = [
  ['malformed JSON', 'application/json', '{bad', 400, 'invalid_json'],
  [
    'oversized body',
    'application/json',
    `{"comment":"${'x'.repeat(70_000)}"}`,
    413,
    'body_too_large',
  ],
  ['latin1 charset', 'application/json; charset=latin1', '{}', 415, 'unsupported_media_type'],
];

void test('silence body errors are client errors', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-silences-'));
  const store = SqliteStore.open({ directory });
  const app = express();
  const router = express.Router();
  addSilenceRoutes(router, new Silences({ store: store.delivery }));
  app.use(router);
  app.use(errorHandler(silentLogger()));
  const server = app.listen(PORT, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));

  try {
    for (const [what, type, body, status, code] of cases) {
      const response = await fetch(`http://127.0.0.1:${PORT}/api/v2/silences`, {
        method: 'POST',
        headers: { 'content-type': type },
        body,
      });
      const answer = (await response.json()) as { error: { code: string } };
      assert.equal(response.status, status, what);
      assert.equal(answer.error.code, code, what);
    }
  } finally {
    server.close();
    store.close();
  }
});
