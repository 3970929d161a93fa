/**
 * A longer fuzz campaign over the parsers of untrusted input: the same properties as
 * `test/unit/fuzz/parsers.test.ts`, with more runs and a fresh seed unless one is given.
 *
 *   node --import tsx bench/fuzz.ts [--scale 100] [--seed 42]
 *
 * Prints each property's inputs tried and the total; exits 1 with the counterexample and seed
 * on the first failing property.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { fuzzProperties } from '../test/unit/fuzz/properties.ts';

const { values } = parseArgs({
  options: { scale: { type: 'string', default: '100' }, seed: { type: 'string' } },
});
const scale = Number(values.scale);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
if (!Number.isInteger(scale) || scale < 1 || !Number.isInteger(seed)) {
  console.error(
    `invalid --scale ${values.scale} or --seed ${values.seed}: use integers, scale >= 1`,
  );
  process.exit(2);
}

const directory = mkdtempSync(join(tmpdir(), 'vigil-fuzz-'));
let total = 0;
let failed = false;
try {
  console.log(`fuzz campaign: seed ${seed}, ${scale} times the unit-test runs`);
  for (const { name, runs, property } of fuzzProperties(directory)) {
    const started = performance.now();
    const details = fc.check(property, { seed, numRuns: runs * scale });
    const seconds = (performance.now() - started) / 1000;
    total += details.numRuns;
    console.log(`${name}: ${details.numRuns} inputs in ${seconds.toFixed(1)} s`);
    if (details.failed) {
      console.error(fc.defaultReportMessage(details) ?? `${name} failed with seed ${seed}`);
      failed = true;
      break;
    }
  }
} finally {
  rmSync(directory, { recursive: true, force: true });
}
console.log(`${total} inputs tried${failed ? ', stopped at the first failure' : ', no failure'}`);
process.exitCode = failed ? 1 : 0;
