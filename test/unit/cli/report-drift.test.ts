import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DRIFT_EXIT, runReportDrift } from '../../../appliance/cli/report-drift.ts';
import { parseCsv } from '../../../appliance/io/csv.ts';

const BIKES = new URL('../../../datasets/bike-sharing/hour.csv', import.meta.url);

// Splits the bike-sharing hours by year (yr 0 is 2011, 1 is 2012) into two CSV files.
function splitByYear(directory: string): { reference: string; current: string } {
  const text = readFileSync(BIKES, 'utf8');
  const lines = text.trim().split('\n');
  const year = parseCsv(text, 'hour.csv').header.indexOf('yr');
  const paths = { reference: join(directory, '2011.csv'), current: join(directory, '2012.csv') };
  for (const [value, path] of [
    ['0', paths.reference],
    ['1', paths.current],
  ] as const) {
    const rows = lines.slice(1).filter((line) => line.split(',')[year] === value);
    writeFileSync(path, [lines[0], ...rows].join('\n') + '\n');
  }
  return paths;
}

function capture(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = runReportDrift(argv, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  });
  return { code, stdout, stderr };
}

void test('bike years drift in counts', () => {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-drift-'));
  try {
    const { reference, current } = splitByYear(directory);
    const args = ['--reference', reference, '--current', current, '--format', 'json'];
    const result = capture([...args, '--columns', 'cnt,season,temp']);
    assert.equal(result.code, DRIFT_EXIT.drift);
    const report = JSON.parse(result.stdout);
    const [cnt, season, temp] = report.columns;
    assert.equal(cnt.test, 'wasserstein');
    assert.equal(cnt.drift, true);
    assert.equal(cnt.convention.sample, 'exact');
    assert.equal(season.test, 'js');
    assert.equal(season.drift, false);
    assert.equal(temp.drift, false);
    assert.equal(cnt.convention.n_reference, 8645);
    assert.equal(cnt.convention.n_current, 8734);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

void test('large columns run on sketches', () => {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-drift-'));
  try {
    const { reference, current } = splitByYear(directory);
    const args = ['--reference', reference, '--current', current, '--format', 'json'];
    const result = capture([...args, '--columns', 'temp', '--test', 'ks', '--exact-max', '1000']);
    const sketched = JSON.parse(result.stdout).columns[0];
    const exact = JSON.parse(capture([...args, '--columns', 'temp', '--test', 'ks']).stdout)
      .columns[0];
    assert.equal(sketched.convention.sample, 'sketch');
    assert.equal(exact.convention.sample, 'exact');
    assert.ok(Math.abs(sketched.statistic - exact.statistic) < 0.033);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

void test('html report is self-contained', () => {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-drift-'));
  try {
    const { reference, current } = splitByYear(directory);
    const output = join(directory, 'report.html');
    const args = ['--reference', reference, '--current', current, '--columns', 'temp,weathersit'];
    const result = capture([...args, '--format', 'html', '--output', output]);
    assert.equal(result.code, DRIFT_EXIT.noDrift);
    const html = readFileSync(output, 'utf8');
    assert.equal(html.match(/<svg /g)?.length, 2);
    assert.doesNotMatch(html, /<script|<link|src=/);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

void test('bad csv names file and line', () => {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-drift-'));
  try {
    const bad = join(directory, 'bad.csv');
    writeFileSync(bad, 'a,b\n1,2\n3\n');
    const result = capture(['--reference', bad, '--current', bad]);
    assert.equal(result.code, DRIFT_EXIT.input);
    assert.match(result.stderr, /bad.csv:3: expected 2 fields as in the header, got 1/);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

void test('unknown test is usage error', () => {
  const result = capture(['--reference', 'a.csv', '--current', 'b.csv', '--test', 'kl']);
  assert.equal(result.code, DRIFT_EXIT.usage);
  assert.match(result.stderr, /--test is invalid \(got "kl"\)/);
});

void test('missing reference is usage error', () => {
  const result = capture(['--current', 'b.csv']);
  assert.equal(result.code, DRIFT_EXIT.usage);
  assert.match(result.stderr, /--reference is missing/);
});
