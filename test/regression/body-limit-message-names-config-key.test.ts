import { test } from 'node:test';
import assert from 'node:assert/strict';
import { postJson, startApp, wireEvent } from '../unit/http/app-fixture.ts';

// The 413 message named `http.bodyLimitBytes`, the internal option name, as the setting to raise.
// appliance.yaml spells the key `http.body_limit_bytes` and rejects the other as unknown.
void test('body limit message names the config key', async () => {
  const app = await startApp({ bodyLimitBytes: 1024 });
  try {
    const events = Array.from({ length: 50 }, (_, i) => wireEvent(i));

    const response = await postJson(`${app.url}/api/v1/events`, events);

    assert.equal(response.status, 413);
    assert.equal(response.body.error.code, 'body_too_large');
    assert.match(response.body.error.message, /http\.body_limit_bytes/);
    assert.doesNotMatch(response.body.error.message, /bodyLimitBytes/);
  } finally {
    await app.close();
  }
});
