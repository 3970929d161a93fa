import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CsvError, parseCsv } from '../../../appliance/io/csv.ts';

void test('csv handles quotes and newlines', () => {
  const table = parseCsv('a,b\r\n"x, y","say ""hi""\nthere"\n1,\n', 'f.csv');
  assert.deepEqual(table.header, ['a', 'b']);
  assert.deepEqual(table.rows, [
    ['x, y', 'say "hi"\nthere'],
    ['1', ''],
  ]);
});

void test('csv without final newline', () => {
  assert.deepEqual(parseCsv('a\n1\n2', 'f.csv').rows, [['1'], ['2']]);
});

void test('csv names line of bad row', () => {
  assert.throws(
    () => parseCsv('a,b\n1,2\n"x\ny",2\n3\n', 'data.csv'),
    (error: unknown) =>
      error instanceof CsvError &&
      error.message === 'data.csv:5: expected 2 fields as in the header, got 1',
  );
});

void test('csv rejects unterminated quote', () => {
  assert.throws(() => parseCsv('a\n"open\n', 'f.csv'), /f.csv:2: unterminated quoted field/);
});

void test('csv rejects empty file', () => {
  assert.throws(() => parseCsv('', 'f.csv'), /f.csv:1: the file is empty/);
});
