import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { FeatureValue, PredictionEvent, TimeRange } from '../../../appliance/core/types.ts';
import type {
  EvaluationOutput,
  EvaluatorFactory,
} from '../../../appliance/evaluators/evaluator.ts';
import { autoDriftEvaluator } from '../../../appliance/evaluators/drift/auto.ts';
import { ksEvaluator } from '../../../appliance/evaluators/drift/ks.ts';
import { profileKey } from '../../../appliance/evaluators/reference-source.ts';
import { FakeReader } from './fake-reader.ts';

const REFERENCE: TimeRange = { from: 0, to: 1000 };
const WINDOW: TimeRange = { from: 1000, to: 2000 };
const ROWS = 800;

/** A reader that counts the event reads of the reference range. */
class CountingReader extends FakeReader {
  referenceReads = 0;

  override events(stream: string, range: TimeRange): readonly PredictionEvent[] {
    if (range.from === REFERENCE.from && range.to === REFERENCE.to) this.referenceReads += 1;
    return super.events(stream, range);
  }
}

function events(range: TimeRange, rows: number, shift: number): PredictionEvent[] {
  return Array.from({ length: rows }, (_, row) => ({
    stream: 's',
    version: '',
    id: `${range.from}-${row}`,
    timestamp: range.from + (row * (range.to - range.from)) / rows,
    features: Object.assign(Object.create(null) as Record<string, FeatureValue>, {
      x: ((row * 7919) % rows) / rows + shift,
      kind: row % 3 === 0 ? 'a' : 'b',
    }),
    prediction: null,
    actual: null,
    latencyMs: null,
    error: false,
  }));
}

function newReader(): CountingReader {
  return new CountingReader([...events(REFERENCE, ROWS, 0), ...events(WINDOW, ROWS, 0.1)]);
}

function run(
  factory: EvaluatorFactory,
  reader: CountingReader,
  directory: string,
  exactMax: number,
  params: Record<string, unknown> = {},
): EvaluationOutput[] {
  const instance = factory.create({
    stream: 's',
    windowMs: WINDOW.to - WINDOW.from,
    reference: { range: REFERENCE },
    params: { ...params, exact_max: exactMax },
    profileDirectory: directory,
  });
  return instance.evaluate({ time: WINDOW.to, window: WINDOW, data: reader });
}

function withDirectory(body: (directory: string) => void): void {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-profiles-'));
  try {
    body(directory);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

test('reference profile is stored once', () => {
  withDirectory((directory) => {
    const reader = newReader();
    run(ksEvaluator, reader, directory, 100);
    run(ksEvaluator, reader, directory, 100);

    const files = readdirSync(join(directory, 'profiles'));
    assert.deepEqual(files, [`${profileKey('s', REFERENCE)}.json`]);
  });
});

test('restart reuses stored profile without raw read', () => {
  withDirectory((directory) => {
    const first = newReader();
    const before = run(ksEvaluator, first, directory, 100);
    assert.equal(first.referenceReads, 1);

    const restarted = newReader();
    const after = run(ksEvaluator, restarted, directory, 100);

    assert.equal(restarted.referenceReads, 0);
    assert.equal(after.length, before.length);
    const [x] = after.filter((output) => output.labels.feature === 'x');
    const [xBefore] = before.filter((output) => output.labels.feature === 'x');
    assert.equal(x!.convention.sample, 'sketch');
    assert.equal(x!.values.value, xBefore!.values.value);
    assert.equal(x!.values.n_reference, ROWS);
  });
});

test('drift.auto restart reads no raw reference', () => {
  withDirectory((directory) => {
    // Above large_sample both features choose a distance with a sketch form (wasserstein, js).
    const params = { large_sample: 100 };
    const before = run(autoDriftEvaluator, newReader(), directory, 100, params);
    const restarted = newReader();
    const after = run(autoDriftEvaluator, restarted, directory, 100, params);

    assert.equal(restarted.referenceReads, 0);
    assert.deepEqual(
      after.map((output) => output.labels.test),
      ['wasserstein', 'js'],
    );
    assert.deepEqual(
      after.map((output) => [output.labels.feature, output.labels.test, output.values.value]),
      before.map((output) => [output.labels.feature, output.labels.test, output.values.value]),
    );
  });
});

test('small reference reads raw after restart', () => {
  withDirectory((directory) => {
    run(ksEvaluator, newReader(), directory, ROWS);
    const restarted = newReader();
    const [output] = run(ksEvaluator, restarted, directory, ROWS);

    assert.equal(restarted.referenceReads, 1);
    assert.equal(output!.convention.sample, 'exact');
  });
});

test('corrupt profile file is rebuilt from raw', () => {
  withDirectory((directory) => {
    run(ksEvaluator, newReader(), directory, 100);
    const path = join(directory, 'profiles', `${profileKey('s', REFERENCE)}.json`);
    writeFileSync(path, '{"format":"other"}');

    const reader = newReader();
    const outputs = run(ksEvaluator, reader, directory, 100);
    assert.equal(reader.referenceReads, 1);
    assert.equal(outputs[0]!.convention.sample, 'sketch');

    const restarted = newReader();
    run(ksEvaluator, restarted, directory, 100);
    assert.equal(restarted.referenceReads, 0);
  });
});

test('profile key separates streams and ranges', () => {
  const base = profileKey('s', REFERENCE);

  assert.notEqual(profileKey('t', REFERENCE), base);
  assert.notEqual(profileKey('s', { from: 0, to: 999 }), base);
  assert.match(profileKey('a/b c', REFERENCE), /^[A-Za-z0-9_.-]+$/);
});
