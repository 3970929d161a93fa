import { test } from 'node:test';
import assert from 'node:assert/strict';

import { createInfluxClient } from '../../../appliance/store/influx/influx-setup.ts';

interface ClientOptions {
  _options: { username?: string; password?: string };
}

// A URL must percent-encode "@", "/" and ":" in a password, and WHATWG URL keeps the
// encoding in `username` and `password`, so InfluxDB would get "p%40ss" and reject the login.
test('influx url credentials are decoded', () => {
  const client = createInfluxClient('http://ad%20min:p%40ss%2Fw%3A@127.0.0.1:19799', 'vigil');
  const options = (client as unknown as ClientOptions)._options;

  assert.equal(options.username, 'ad min');
  assert.equal(options.password, 'p@ss/w:');
});

test('influx url keeps a stray percent', () => {
  const client = createInfluxClient('http://admin:100%zz@127.0.0.1:19799', 'vigil');
  const options = (client as unknown as ClientOptions)._options;

  assert.equal(options.password, '100%zz');
});
