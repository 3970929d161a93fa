import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';

/** Golden values written by test/golden/quality.py; null in the file stands for NaN. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const golden: any = JSON.parse(
  readFileSync(new URL('../../golden/quality.json', import.meta.url), 'utf8'),
);

/** Asserts `actual` is within 1e-9 (absolute, or relative for large values) of `expected`. */
export function assertClose(
  actual: number,
  expected: number | null,
  what: string,
  tolerance = 1e-9,
) {
  if (expected === null) {
    assert.ok(Number.isNaN(actual), `${what}: expected NaN, got ${actual}`);
    return;
  }
  const scale = Math.max(1, Math.abs(expected));
  assert.ok(
    Math.abs(actual - expected) <= tolerance * scale,
    `${what}: expected ${expected}, got ${actual}`,
  );
}
