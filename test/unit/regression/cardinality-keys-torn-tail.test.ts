import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CardinalityKeyLog } from '../../../appliance/ingest/cardinality-keys.ts';

// A process killed in the middle of an append leaves a last line without its newline. The next
// start must not glue its first new key onto that fragment, or a third start loses the key.
test('key after torn tail survives restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-keys-'));
  const path = join(dir, 'cardinality-keys.ndjson');
  writeFileSync(path, '{"kind":"stream","value":"a"}\n{"kind":"stream","val');

  const first = CardinalityKeyLog.open(path);
  assert.deepEqual(first.keys, [{ kind: 'stream', value: 'a' }]);
  assert.equal(first.skipped, 1);
  first.log.append([{ kind: 'stream', value: 'b' }]);

  const second = CardinalityKeyLog.open(path);
  assert.deepEqual(second.keys, [
    { kind: 'stream', value: 'a' },
    { kind: 'stream', value: 'b' },
  ]);
  assert.equal(second.skipped, 1);
  assert.match(readFileSync(path, 'utf8'), /\n\{"kind":"stream","value":"b"\}\n$/);
});

test('empty key file takes no leading newline', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-keys-'));
  const path = join(dir, 'cardinality-keys.ndjson');
  writeFileSync(path, '');

  const { log } = CardinalityKeyLog.open(path);
  log.append([{ kind: 'stream', value: 'a' }]);

  assert.equal(readFileSync(path, 'utf8'), '{"kind":"stream","value":"a"}\n');
});
