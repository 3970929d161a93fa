import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, wireEvent } from '../unit/http/app-fixture.ts';

// The UTF-8 check ran inside the request stream's 'end' listener and threw there, so the
// HttpError escaped every handler and an invalid byte in any ingest body killed the process.
void test('invalid UTF-8 body is answered 400', async () => {
  const app = await startApp();
  try {
    const valid = JSON.stringify([wireEvent(0)]);
    const body = Buffer.concat([
      Buffer.from(valid.slice(0, -2)),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(valid.slice(-2)),
    ]);

    // With the defect the request never gets a response, so the test also ends when the
    // process reports an uncaught exception, rather than waiting for the client's timeout.
    let onCrash: (error: unknown) => void = () => {};
    const crashed = new Promise<never>((_, reject) => {
      onCrash = reject;
      process.once('uncaughtException', onCrash);
    });
    const response = await Promise.race([
      fetch(`${app.url}/api/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      }),
      crashed,
    ]).finally(() => process.off('uncaughtException', onCrash));
    const answer = (await response.json()) as { error: { code: string; message: string } };

    assert.equal(response.status, 400);
    assert.equal(answer.error.code, 'invalid_utf8');
    assert.match(answer.error.message, /UTF-8/);
    assert.equal((await fetch(`${app.url}/healthz`)).status, 200);
  } finally {
    await app.close();
  }
});
