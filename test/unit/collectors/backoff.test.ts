import { test } from 'node:test';
import assert from 'node:assert/strict';

import { backoffDelay } from '../../../collectors/backoff.ts';

const options = { initialMs: 100, maxMs: 1_000 };

test('backoff ceiling doubles per attempt', () => {
  assert.equal(
    backoffDelay(1, options, () => 0.999),
    99,
  );
  assert.equal(
    backoffDelay(2, options, () => 0.999),
    199,
  );
  assert.equal(
    backoffDelay(3, options, () => 0.999),
    399,
  );
});

test('backoff ceiling stops at the maximum', () => {
  assert.equal(
    backoffDelay(50, options, () => 0.5),
    500,
  );
});

test('backoff jitter draws from zero up', () => {
  assert.equal(
    backoffDelay(3, options, () => 0),
    0,
  );
});
