import type { EvaluatorFactory } from '../evaluators/evaluator.ts';
import type { AlertingRule, RuleGroup, RuleSet } from '../rules/model.ts';
import { translateTemplate } from './prometheus-template.ts';

/**
 * Translates Vigil alerting rules into Prometheus alerting rules over the gauges Vigil exports
 * on `/metrics`. Only pure thresholds translate: a condition `field <op> number` on one output
 * field, whose gauge (the field's `metric`) is selected by the `rule` label. Every rule option
 * without a Prometheus equivalent makes the rule skipped with a reason instead of exported with
 * other semantics. The exported alert carries the gauge's labels, so it also has `rule`, and
 * the `job` and `instance` labels of the scrape.
 */

export interface PrometheusRule {
  alert: string;
  expr: string;
  for?: string;
  keep_firing_for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface PrometheusGroup {
  name: string;
  interval: string;
  limit?: number;
  rules: PrometheusRule[];
}

export interface SkippedRule {
  rule: string;
  group: string;
  /** `file:line:column` of the rule. */
  position: string;
  reason: string;
}

export interface PrometheusExport {
  groups: PrometheusGroup[];
  skipped: SkippedRule[];
}

type Translation<T> = { ok: true; value: T } | { ok: false; reason: string };

export function exportPrometheusRules(
  ruleSet: RuleSet,
  evaluators: ReadonlyMap<string, EvaluatorFactory>,
): PrometheusExport {
  const groups: PrometheusGroup[] = [];
  const skipped: SkippedRule[] = [];

  for (const group of ruleSet.groups) {
    const rules: PrometheusRule[] = [];
    for (const rule of group.rules) {
      const result =
        rule.kind === 'alert'
          ? translateRule(rule, evaluators)
          : { ok: false as const, reason: 'recording rule; only alerting rules are exported' };
      if (result.ok) rules.push(result.value);
      else skipped.push(skippedRule(group, rule.name, rule.position, result.reason));
    }
    if (rules.length > 0) groups.push(prometheusGroup(group, rules));
  }
  return { groups, skipped };
}

function prometheusGroup(group: RuleGroup, rules: PrometheusRule[]): PrometheusGroup {
  const exported: PrometheusGroup = {
    name: group.name,
    interval: formatDuration(group.intervalMs),
    rules,
  };
  if (group.limit !== undefined && group.limit > 0) exported.limit = group.limit;
  return exported;
}

function skippedRule(
  group: RuleGroup,
  rule: string,
  position: { file: string; line: number; column: number },
  reason: string,
): SkippedRule {
  const where = `${position.file}:${position.line}:${position.column}`;
  return { rule, group: group.name, position: where, reason };
}

function translateRule(
  rule: AlertingRule,
  evaluators: ReadonlyMap<string, EvaluatorFactory>,
): Translation<PrometheusRule> {
  const unsupported = unsupportedOption(rule);
  if (unsupported !== undefined) return { ok: false, reason: unsupported };

  const threshold = parseThreshold(rule.when);
  if (threshold === undefined) {
    return {
      ok: false,
      reason: `condition "${rule.when}" is not a threshold "field <op> number"`,
    };
  }
  const spec = evaluators.get(rule.evaluator)?.outputs[threshold.field];
  if (spec === undefined) {
    return {
      ok: false,
      reason: `"${threshold.field}" is not an output of evaluator ${rule.evaluator}`,
    };
  }

  const labels = translateMap(rule.labels, threshold.field, 'label');
  if (!labels.ok) return labels;
  const annotations = translateMap(rule.annotations, threshold.field, 'annotation');
  if (!annotations.ok) return annotations;

  const exported: PrometheusRule = {
    alert: rule.name,
    expr: `${spec.metric}{rule=${JSON.stringify(rule.name)}} ${threshold.operator} ${threshold.number}`,
  };
  if (rule.forMs > 0) exported.for = formatDuration(rule.forMs);
  if ((rule.keepFiringForMs ?? 0) > 0) {
    exported.keep_firing_for = formatDuration(rule.keepFiringForMs ?? 0);
  }
  if (Object.keys(labels.value).length > 0) exported.labels = labels.value;
  if (Object.keys(annotations.value).length > 0) exported.annotations = annotations.value;
  return { ok: true, value: exported };
}

/**
 * Names the first option whose Vigil semantics Prometheus cannot reproduce. The default error
 * policy `keep_state` maps because a failed evaluation keeps the gauge's previous samples.
 */
function unsupportedOption(rule: AlertingRule): string | undefined {
  if (rule.resolveWhen !== undefined) return 'resolve_when has no Prometheus equivalent';
  if ((rule.tolerance ?? 0) > 0) return 'tolerance has no Prometheus equivalent';
  if ((rule.noData ?? 'ok') !== 'ok') {
    return `no_data: ${rule.noData} has no Prometheus equivalent (only ok maps)`;
  }
  if ((rule.error ?? 'keep_state') !== 'keep_state') {
    return `error: ${rule.error} has no Prometheus equivalent (only keep_state maps)`;
  }
  if ((rule.nan ?? false) !== false) {
    return `nan: ${String(rule.nan)} has no Prometheus equivalent (comparisons with NaN are false)`;
  }
  if ((rule.actions ?? []).length > 0) return 'actions have no Prometheus equivalent';
  return undefined;
}

function translateMap(
  templates: Record<string, string>,
  field: string,
  kind: 'label' | 'annotation',
): Translation<Record<string, string>> {
  const translated: Record<string, string> = {};
  for (const [name, source] of Object.entries(templates)) {
    const result = translateTemplate(source, field);
    if (!result.ok) return { ok: false, reason: `${kind} ${name}: ${result.reason}` };
    translated[name] = result.text;
  }
  return { ok: true, value: translated };
}

export interface Threshold {
  field: string;
  operator: string;
  /** The number as PromQL writes it, such as `0.5`, `1e-06`, `+Inf` or `NaN`. */
  number: string;
}

const NUMBER = String.raw`[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?Inf|NaN`;
const FIELD = String.raw`[A-Za-z_][A-Za-z0-9_]*`;
const OPERATOR = String.raw`>=|<=|==|!=|>|<`;
const FIELD_FIRST = new RegExp(String.raw`^\s*(${FIELD})\s*(${OPERATOR})\s*(${NUMBER})\s*$`);
const NUMBER_FIRST = new RegExp(String.raw`^\s*(${NUMBER})\s*(${OPERATOR})\s*(${FIELD})\s*$`);

/** The operator with its operands swapped: `2 < value` is `value > 2`. */
const MIRRORED: Record<string, string> = {
  '>': '<',
  '<': '>',
  '>=': '<=',
  '<=': '>=',
  '==': '==',
  '!=': '!=',
};

/** Parses `field <op> number` or `number <op> field`, and returns undefined for any other condition. */
export function parseThreshold(condition: string): Threshold | undefined {
  const fieldFirst = FIELD_FIRST.exec(condition);
  if (fieldFirst !== null && !isKeyword(fieldFirst[1] as string)) {
    const [, field, operator, number] = fieldFirst as unknown as [string, string, string, string];
    return { field, operator, number: promqlNumber(number) };
  }

  const numberFirst = NUMBER_FIRST.exec(condition);
  if (numberFirst !== null && !isKeyword(numberFirst[3] as string)) {
    const [, number, operator, field] = numberFirst as unknown as [string, string, string, string];
    return { field, operator: MIRRORED[operator] as string, number: promqlNumber(number) };
  }
  return undefined;
}

/** `Inf`, `NaN` and the `not`/`and`/`or` keywords are not field names in a condition. */
function isKeyword(name: string): boolean {
  return ['Inf', 'NaN', 'and', 'or', 'not'].includes(name);
}

function promqlNumber(text: string): string {
  if (/Inf$/.test(text)) return text.startsWith('-') ? '-Inf' : '+Inf';
  return text;
}

const UNITS: Array<[string, number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
  ['ms', 1],
];

/** Formats milliseconds as a Prometheus duration such as `1d12h` or `1m30s`, and 0 as `0s`. */
export function formatDuration(ms: number): string {
  let rest = Math.round(ms);
  let text = '';
  for (const [unit, size] of UNITS) {
    const count = Math.floor(rest / size);
    if (count > 0) text += `${count}${unit}`;
    rest -= count * size;
  }
  return text === '' ? '0s' : text;
}
