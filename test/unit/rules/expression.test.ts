import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileCondition, ExpressionError } from '../../../appliance/rules/expression.ts';

function evaluate(source: string, values: Record<string, number>): boolean {
  return compileCondition(source).evaluate(values);
}

function errorOf(source: string): ExpressionError {
  try {
    compileCondition(source);
  } catch (error) {
    assert.ok(error instanceof ExpressionError);
    return error;
  }
  assert.fail(`"${source}" compiled`);
}

test('condition lists its fields in order', () => {
  assert.deepEqual(compileCondition('p_value < 0.001 and statistic > 0.2').fields, [
    'p_value',
    'statistic',
  ]);
  assert.deepEqual(compileCondition('a / b > a').fields, ['a', 'b']);
});

test('arithmetic and precedence', () => {
  assert.equal(evaluate('1 + 2 * 3 == 7', {}), true);
  assert.equal(evaluate('(1 + 2) * 3 == 9', {}), true);
  assert.equal(evaluate('-x * 2 < -3', { x: 2 }), true);
  assert.equal(evaluate('1e-3 == 0.001', {}), true);
  assert.equal(evaluate('10 / 4 - 2.5 == 0', {}), true);
});

test('logic operators', () => {
  assert.equal(evaluate('a > 1 and b > 1', { a: 2, b: 0 }), false);
  assert.equal(evaluate('a > 1 or b > 1', { a: 2, b: 0 }), true);
  assert.equal(evaluate('not a > 1', { a: 0 }), true);
  assert.equal(evaluate('a > 1 or b > 1 and c > 1', { a: 2, b: 0, c: 0 }), true);
});

test('comparison with NaN is false', () => {
  const values = { errors: 0, total: 0 };
  for (const operator of ['>', '>=', '<', '<=', '==', '!=']) {
    assert.equal(evaluate(`errors / total ${operator} 0.05`, values), false, operator);
  }
  assert.equal(evaluate('x != 1', { x: NaN }), false);
  assert.equal(evaluate('NaN == NaN', {}), false);
});

test('infinity compares as usual', () => {
  assert.equal(evaluate('value > 0.999', { value: Infinity }), true);
  assert.equal(evaluate('value == Inf', { value: Infinity }), true);
  assert.equal(evaluate('value < -Inf', { value: -Infinity }), false);
  assert.equal(evaluate('errors / total > 0.05', { errors: 1, total: 0 }), true);
});

test('missing field reads as NaN', () => {
  assert.equal(evaluate('value > 1', {}), false);
  assert.equal(evaluate('not value > 1', {}), true);
});

test('errors name the column and the expectation', () => {
  const cases: Array<[string, number, RegExp]> = [
    ['value >', 8, /the condition ends, expected a number/],
    ['value', 1, /expected a comparison such as "value > 80"/],
    ['a < b < c', 7, /comparisons do not chain/],
    ['value && x > 1', 7, /unexpected "&"; write "and"/],
    ['a > 1 and 2', 11, /"and" needs comparisons on both sides/],
    ['(a > 1', 7, /expected "\)"/],
    ['value = 1', 7, /write "==" to compare/],
    ['value > 1 2', 11, /unexpected "2", expected an operator or the end/],
    ['(a > 1) + 1 > 0', 1, /"\+" needs numbers on both sides/],
  ];
  for (const [source, column, message] of cases) {
    const error = errorOf(source);
    assert.equal(error.column, column, source);
    assert.match(error.message, message, source);
  }
});

test('no code runs from a condition', () => {
  const error = errorOf('constructor.constructor("return process")() > 0');
  assert.equal(error.column, 12);
});
