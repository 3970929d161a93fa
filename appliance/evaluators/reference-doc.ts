import type { EvaluatorFactory } from './evaluator.ts';

/**
 * Renders the Markdown reference of every evaluator: its rule name, input, parameters and the
 * outputs with their metric names. `docs/evaluators.md` is this text, and a test keeps the two
 * equal so the reference cannot fall behind the registry.
 */
export function renderEvaluatorReference(
  evaluators: ReadonlyMap<string, EvaluatorFactory>,
): string {
  const lines = [
    '# Evaluators',
    '',
    'Every evaluator a rule file can name, generated from the registry by',
    '`npm run docs:evaluators`. Event evaluators read a `stream` of prediction events, series',
    'evaluators a `series` selector. Output fields are what `when` and `$values` can use; each',
    'is exported on `/metrics` under the metric named here, labelled by `rule`, the stream or',
    'series and the labels listed.',
    '',
  ];
  const sorted = [...evaluators.values()].sort((a, b) => a.name.localeCompare(b.name));
  for (const factory of sorted) lines.push(...renderOne(factory));
  return `${lines.join('\n').trimEnd()}\n`;
}

function renderOne(factory: EvaluatorFactory): string[] {
  const lines = [`## \`${factory.name}\``, '', factory.description, ''];
  const needs = factory.needsReference ? ', needs a `reference`' : '';
  lines.push(`Input: ${factory.input === 'events' ? '`stream`' : '`series`'}${needs}.`);
  if (factory.outputLabels.length > 0) {
    lines.push(`Output labels: ${factory.outputLabels.map((label) => `\`${label}\``).join(', ')}.`);
  }
  lines.push('');

  const params = Object.entries(paramProperties(factory));
  if (params.length > 0) {
    lines.push('| parameter | type | description |', '|---|---|---|');
    for (const [name, schema] of params) {
      lines.push(`| \`${name}\` | ${typeOf(schema)} | ${cell(schema.description)} |`);
    }
    lines.push('');
  }

  lines.push('| output | metric | description |', '|---|---|---|');
  for (const [field, spec] of Object.entries(factory.outputs)) {
    lines.push(`| \`${field}\` | \`${spec.metric}\` | ${cell(spec.help)} |`);
  }
  lines.push('');
  return lines;
}

interface PropertySchema {
  type?: string | string[];
  enum?: unknown[];
  description?: string;
}

function paramProperties(factory: EvaluatorFactory): Record<string, PropertySchema> {
  const properties = (factory.paramsSchema as { properties?: Record<string, PropertySchema> })
    .properties;
  return properties ?? {};
}

function typeOf(schema: PropertySchema): string {
  if (Array.isArray(schema.enum))
    return schema.enum.map((value) => `\`${String(value)}\``).join(' \\| ');
  if (Array.isArray(schema.type)) return schema.type.join(' or ');
  return schema.type ?? 'any';
}

function cell(text: string | undefined): string {
  return (text ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
