import { after, test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { fuzzProperties } from './properties.ts';

/** A fixed seed, so a failure here reproduces on every machine; `npm run fuzz` varies it. */
const SEED = 20_261_203;

const directory = mkdtempSync(join(tmpdir(), 'vigil-fuzz-'));
after(() => rmSync(directory, { recursive: true, force: true }));

for (const { name, runs, property } of fuzzProperties(directory)) {
  void test(`${name} survives random input`, () => {
    fc.assert(property, { seed: SEED, numRuns: runs });
  });
}
