import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  compileTemplate,
  TemplateError,
  type TemplateData,
} from '../../../appliance/rules/template.ts';

const data: TemplateData = {
  labels: { stream: 'bike', severity: 'warning' },
  value: 83.456,
  values: { value: 83.456, p_value: 0.000412 },
};

function render(source: string, input: TemplateData = data): string {
  return compileTemplate(source).render(input);
}

function errorOf(source: string): TemplateError {
  try {
    compileTemplate(source);
  } catch (error) {
    assert.ok(error instanceof TemplateError);
    return error;
  }
  assert.fail(`"${source}" compiled`);
}

test('variables and pipes render', () => {
  assert.equal(
    render('MAE {{ $value | printf "%.1f" }} on {{ $labels.stream }}'),
    'MAE 83.5 on bike',
  );
  assert.equal(render('{{ printf "%.2e" $values.p_value }}'), '4.12e-04');
  assert.equal(render('{{ $value }}'), '83.456');
  assert.equal(render('{{ $labels.severity | toUpper }}'), 'WARNING');
  assert.equal(render('{{ "bike model" | title }}'), 'Bike Model');
  assert.equal(render('{{ toLower "ABC" }}'), 'abc');
});

test('missing label renders empty', () => {
  assert.equal(render('[{{ $labels.version }}]'), '[]');
  assert.equal(render('{{ $values.absent }}'), 'NaN');
});

test('numbers print as Go prints float64', () => {
  const at = (value: number) => render('{{ $value }}', { ...data, value });
  assert.equal(at(1e6), '1e+06');
  assert.equal(at(123456), '123456');
  assert.equal(at(0.00001), '1e-05');
  assert.equal(at(Infinity), '+Inf');
  assert.equal(at(NaN), 'NaN');
});

test('humanize functions match Prometheus', () => {
  const at = (fn: string, value: number) => render(`{{ ${fn} $value }}`, { ...data, value });
  assert.equal(at('humanize', 1234567), '1.235M');
  assert.equal(at('humanize', 0.0012), '1.2m');
  assert.equal(at('humanize', 0), '0');
  assert.equal(at('humanizePercentage', 0.1234), '12.34%');
  assert.equal(at('humanizeDuration', 90061), '1d 1h 1m 1s');
  assert.equal(at('humanizeDuration', 1.5), '1.5s');
  assert.equal(at('humanizeDuration', 0.25), '250ms');
});

test('trim markers remove whitespace', () => {
  assert.equal(render('a   {{- $labels.stream -}}   b'), 'abikeb');
});

test('function failure renders an error text', () => {
  assert.equal(
    render('{{ $labels.stream | humanize }}'),
    '<error expanding template: got "bike", expected a number>',
  );
});

test('unknown variable is a compile error', () => {
  const error = errorOf('on {{ $label.foo }}');
  assert.equal(error.column, 7);
  assert.match(error.message, /unknown variable "\$label.foo"; use \$value, \$labels.<name>/);
});

test('unknown function is a compile error', () => {
  const error = errorOf('{{ $value | humanise }}');
  assert.equal(error.column, 13);
  assert.match(error.message, /unknown function "humanise"; known functions: printf, humanize/);
});

test('no access beyond the data', () => {
  for (const source of ['{{ process.env.HOME }}', '{{ $labels.constructor.name }}', '{{ .Env }}']) {
    assert.throws(() => compileTemplate(source), TemplateError, source);
  }
  const proto = render('[{{ $labels.constructor }}|{{ $labels.__proto__ }}]');
  assert.equal(proto, '[|]');
});

test('malformed actions are compile errors', () => {
  const cases: Array<[string, number, RegExp]> = [
    ['{{ $value', 1, /unclosed action/],
    ['{{ "x }}', 4, /unterminated string/],
    ['{{ }}', 3, /empty action/],
    ['{{ humanize }}', 4, /humanize takes 1 argument/],
    ['{{ $value $value }}', 11, /a pipe passes values to a function/],
  ];
  for (const [source, column, message] of cases) {
    const error = errorOf(source);
    assert.equal(error.column, column, source);
    assert.match(error.message, message, source);
  }
});
