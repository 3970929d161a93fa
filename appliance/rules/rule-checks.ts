import type { ValidateFunction } from 'ajv';
import type { Problem } from '../config/config.ts';
import { parseDuration } from '../config/duration.ts';
import { createSchemaValidator, validateWithSchema } from '../config/schema-validation.ts';
import {
  formatPath,
  locate,
  locateInScalar,
  problem,
  problemAt,
  type JsonPath,
  type ParsedYaml,
} from '../config/yaml-document.ts';
import type { EvaluatorFactory, EvaluatorInputs } from '../evaluators/evaluator.ts';
import { compileCondition, ExpressionError } from './expression.ts';
import type { AlertingRule, NanPolicy, Rule, RuleAction, StatePolicy } from './model.ts';
import { compileTemplate, TemplateError } from './template.ts';

/**
 * Checks one rule against its evaluator: the evaluator exists, the rule gives the input kind it
 * reads, a reference when it needs one, `params` its schema accepts, a `when` over its outputs,
 * templates that compile and valid label names. Types the JSON Schema already rejected are
 * skipped here, so each mistake is reported once.
 */

export interface RuleCheckContext {
  parsed: ParsedYaml;
  evaluators: ReadonlyMap<string, EvaluatorFactory>;
  /** Path of the rule, such as `['groups', 0, 'rules', 2]`. */
  path: JsonPath;
}

type RawRule = Record<string, unknown>;

const labelNamePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;
const paramsAjv = createSchemaValidator();
const paramsValidators = new WeakMap<EvaluatorFactory, ValidateFunction | Error>();

/** Checks a rule; `rule` is set only when the rule has no error. */
export function checkRule(
  raw: unknown,
  context: RuleCheckContext,
): { rule?: Rule; name?: string; problems: Problem[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { problems: [] }; // the schema reports it
  }
  const rule = raw as RawRule;
  const problems: Problem[] = [];
  const report = (key: JsonPath, message: string, severity: Problem['severity'] = 'error') =>
    problems.push(problemAt(context.parsed, [...context.path, ...key], message, severity));

  const kind = checkKind(rule, report);
  const name =
    typeof rule.alert === 'string'
      ? rule.alert
      : typeof rule.record === 'string'
        ? rule.record
        : undefined;
  const evaluator = checkEvaluator(rule, context, report);
  const inputs =
    evaluator === undefined ? undefined : checkInputs(rule, evaluator, context, report, problems);
  const labels = checkLabelMap(rule, 'labels', kind === 'alert', context, problems, report);
  const annotations = checkLabelMap(rule, 'annotations', true, context, problems, report);
  if (evaluator !== undefined) {
    warnOnOutputLabels(labels, evaluator, report);
  }

  const position = { file: context.parsed.file, ...locate(context.parsed, context.path) };
  const base = { name: name ?? '', evaluator: String(rule.evaluator), labels, position };
  let built: Rule | undefined;

  if (kind === 'alert') {
    const when =
      evaluator === undefined
        ? undefined
        : checkWhen(rule, 'when', evaluator, context, problems, report);
    const resolveWhen =
      evaluator === undefined || rule.resolve_when === undefined
        ? undefined
        : checkWhen(rule, 'resolve_when', evaluator, context, problems, report);
    const forMs = typeof rule.for === 'string' ? parseDuration(rule.for) : 0;
    if (when !== undefined && forMs !== undefined && inputs !== undefined) {
      built = { ...base, kind: 'alert', inputs, when, forMs, annotations };
      Object.assign(built, alertOptions(rule, resolveWhen));
    }
  } else if (kind === 'record') {
    const field = evaluator === undefined ? undefined : checkField(rule, evaluator, report);
    if (field !== undefined && inputs !== undefined) {
      built = { ...base, kind: 'record', inputs, field };
    }
  }

  const failed = problems.some((p) => p.severity === 'error');
  return { rule: failed ? undefined : built, name, problems };
}

type Report = (key: JsonPath, message: string, severity?: Problem['severity']) => void;

/** Keys of the format's alert semantics that recording rules do not take. */
const alertOnly = ['resolve_when', 'keep_firing_for', 'tolerance', 'no_data', 'error', 'nan'];

/** Reads the optional alert semantics; the schema already checked their types. */
function alertOptions(rule: RawRule, resolveWhen: string | undefined): Partial<AlertingRule> {
  const options: Partial<AlertingRule> = {};
  if (resolveWhen !== undefined) options.resolveWhen = resolveWhen;
  if (typeof rule.keep_firing_for === 'string') {
    options.keepFiringForMs = parseDuration(rule.keep_firing_for) ?? 0;
  }
  if (typeof rule.tolerance === 'number') options.tolerance = rule.tolerance;
  if (typeof rule.no_data === 'string') options.noData = rule.no_data as StatePolicy;
  if (typeof rule.error === 'string') options.error = rule.error as StatePolicy;
  if (rule.nan !== undefined) options.nan = rule.nan as NanPolicy;
  if (Array.isArray(rule.actions)) {
    options.actions = (rule.actions as RuleAction[]).map((action) => ({
      receiver: action.receiver,
    }));
  }
  return options;
}

function checkKind(rule: RawRule, report: Report): 'alert' | 'record' | undefined {
  if (rule.alert !== undefined && rule.record !== undefined) {
    report([], 'a rule has either "alert" or "record", not both; split it into two rules');
    return undefined;
  }
  if (rule.alert === undefined && rule.record === undefined) {
    report([], 'missing "alert" or "record"; name the rule with alert: <Name> or record: <metric>');
    return undefined;
  }
  const kind = rule.alert !== undefined ? 'alert' : 'record';
  const misplaced = kind === 'alert' ? ['field'] : ['when', 'for', 'annotations', ...alertOnly];
  for (const key of misplaced) {
    if (rule[key] !== undefined) {
      const other = kind === 'alert' ? 'recording' : 'alerting';
      report([key], `"${key}" belongs to ${other} rules; remove it from this ${kind} rule`);
    }
  }
  return kind;
}

function checkEvaluator(
  rule: RawRule,
  context: RuleCheckContext,
  report: Report,
): EvaluatorFactory | undefined {
  if (typeof rule.evaluator !== 'string') {
    return undefined;
  }
  const evaluator = context.evaluators.get(rule.evaluator);
  if (evaluator === undefined) {
    const known = [...context.evaluators.keys()].sort().join(', ');
    report(['evaluator'], `unknown evaluator "${rule.evaluator}"; known evaluators: ${known}`);
  }
  return evaluator;
}

function checkInputs(
  rule: RawRule,
  evaluator: EvaluatorFactory,
  context: RuleCheckContext,
  report: Report,
  problems: Problem[],
): EvaluatorInputs | undefined {
  const windowMs = typeof rule.window === 'string' ? parseDuration(rule.window) : undefined;
  if (windowMs === 0) {
    report(['window'], 'got "0", expected a window longer than 0, such as 1h or 7d');
  }

  checkInputKind(rule, evaluator, report);
  const reference = checkReference(rule, evaluator, windowMs, report);
  const params = (rule.params ?? {}) as Record<string, unknown>;
  const paramProblems = checkParams(params, evaluator, context);
  problems.push(...paramProblems);

  if (windowMs === undefined || windowMs === 0) {
    return undefined;
  }
  const inputs: EvaluatorInputs = { windowMs, params };
  if (typeof rule.stream === 'string') inputs.stream = rule.stream;
  if (Array.isArray(rule.features)) inputs.features = rule.features as string[];
  if (typeof rule.series === 'object' && rule.series !== null) {
    const series = rule.series as { name: string; matchers?: Record<string, string> };
    inputs.series = { name: series.name, matchers: series.matchers ?? {} };
  }
  if (reference !== undefined) inputs.reference = reference;
  if (paramProblems.length === 0) checkCreate(rule, evaluator, inputs, report);
  return inputs;
}

/**
 * Builds the evaluator once, as the engine does at start, so an option the params schema does
 * not bound (a level count of 0, a negative weight) fails the check with its rule position
 * instead of stopping `vigil serve`. Without a profile directory, building has no side effect.
 */
function checkCreate(
  rule: RawRule,
  evaluator: EvaluatorFactory,
  inputs: EvaluatorInputs,
  report: Report,
): void {
  try {
    evaluator.create(inputs);
  } catch (error) {
    const raw = error instanceof Error ? error.message : String(error);
    const params = (rule.params ?? {}) as Record<string, unknown>;
    const detail = ruleFieldNames(raw.replace(`${evaluator.name}: `, ''), params);
    const key = Object.keys(params).find((name) => detail.includes(`params.${name} `));
    let path = ['params'];
    if (rule.params === undefined) path = ['evaluator'];
    else if (key !== undefined) path = ['params', key];
    report(path, `evaluator ${evaluator.name} rejected its params: ${detail}`);
  }
}

/** Rewrites option names such as `entropyWeight` in `message` as the rule's `params.entropy_weight`. */
function ruleFieldNames(message: string, params: Record<string, unknown>): string {
  let rewritten = message;
  for (const key of Object.keys(params)) {
    const camel = key
      .replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase())
      .replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    rewritten = rewritten.replace(new RegExp(`(?<!params\\.)\\b${camel}\\b`, 'g'), `params.${key}`);
  }
  return rewritten;
}

function checkInputKind(rule: RawRule, evaluator: EvaluatorFactory, report: Report): void {
  if (evaluator.input === 'events') {
    if (rule.stream === undefined) {
      report([], `evaluator ${evaluator.name} reads prediction events; add stream: <name>`);
    }
    if (rule.series !== undefined) {
      report(
        ['series'],
        `evaluator ${evaluator.name} reads events, not series; replace series with stream`,
      );
    }
    return;
  }
  if (rule.series === undefined) {
    report(
      [],
      `evaluator ${evaluator.name} reads series; add series: { name: <metric>, matchers: {...} }`,
    );
  }
  for (const key of ['stream', 'features']) {
    if (rule[key] !== undefined) {
      report([key], `evaluator ${evaluator.name} reads series, not events; remove ${key}`);
    }
  }
}

function checkReference(
  rule: RawRule,
  evaluator: EvaluatorFactory,
  windowMs: number | undefined,
  report: Report,
): EvaluatorInputs['reference'] {
  const raw = rule.reference as { from?: unknown; to?: unknown; offset?: unknown } | undefined;
  if (raw === undefined) {
    if (evaluator.needsReference) {
      report(
        [],
        `evaluator ${evaluator.name} compares against a reference; add reference: { offset: 28d } or { from, to }`,
      );
    }
    return undefined;
  }
  if (!evaluator.needsReference) {
    report(['reference'], `evaluator ${evaluator.name} uses no reference; remove it`, 'warning');
    return undefined;
  }

  if (typeof raw.offset === 'string') {
    const offsetMs = parseDuration(raw.offset);
    if (offsetMs !== undefined && windowMs !== undefined && offsetMs < windowMs) {
      report(
        ['reference', 'offset'],
        `offset ${raw.offset} is shorter than the window, so the reference overlaps the current window`,
        'warning',
      );
    }
    return offsetMs === undefined ? undefined : { offsetMs };
  }

  const from = typeof raw.from === 'string' ? Date.parse(raw.from) : NaN;
  const to = typeof raw.to === 'string' ? Date.parse(raw.to) : NaN;
  if (Number.isNaN(from) || Number.isNaN(to)) {
    return undefined; // the schema reports it
  }
  if (from >= to) {
    report(
      ['reference', 'to'],
      `reference ends at ${String(raw.to)}, not after its start ${String(raw.from)}; put "to" after "from"`,
    );
    return undefined;
  }
  return { range: { from, to } };
}

function checkParams(
  params: Record<string, unknown>,
  evaluator: EvaluatorFactory,
  context: RuleCheckContext,
): Problem[] {
  let validate = paramsValidators.get(evaluator);
  if (validate === undefined) {
    try {
      validate = paramsAjv.compile(evaluator.paramsSchema);
    } catch (error) {
      validate = error as Error;
    }
    paramsValidators.set(evaluator, validate);
  }

  if (validate instanceof Error) {
    const message = `evaluator ${evaluator.name} has an invalid params schema (${validate.message}); this is a bug in Vigil, report it`;
    return [problemAt(context.parsed, [...context.path, 'evaluator'], message)];
  }
  return validateWithSchema(context.parsed, params, validate, {
    basePath: [...context.path, 'params'],
  });
}

function checkWhen(
  rule: RawRule,
  key: 'when' | 'resolve_when',
  evaluator: EvaluatorFactory,
  context: RuleCheckContext,
  problems: Problem[],
  report: Report,
): string | undefined {
  const source = rule[key];
  if (typeof source !== 'string') {
    if (source === undefined)
      report([], 'missing "when"; add a condition such as when: value > 80');
    return undefined;
  }
  const path = [...context.path, key];
  try {
    const condition = compileCondition(source);
    const outputs = Object.keys(evaluator.outputs);
    for (const field of condition.fields.filter((name) => !outputs.includes(name))) {
      const column = columnOfName(source, field);
      const message = `unknown field "${field}" in ${key}; evaluator ${evaluator.name} outputs ${outputs.join(', ')}`;
      problems.push(
        problem(
          context.parsed.file,
          locateInScalar(context.parsed, path, column),
          formatPath(path),
          message,
        ),
      );
    }
    return source;
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    const at = locateInScalar(context.parsed, path, error.column);
    problems.push(
      problem(context.parsed.file, at, formatPath(path), `invalid condition: ${error.message}`),
    );
    return undefined;
  }
}

function checkField(
  rule: RawRule,
  evaluator: EvaluatorFactory,
  report: Report,
): string | undefined {
  const field = typeof rule.field === 'string' ? rule.field : 'value';
  if (!Object.hasOwn(evaluator.outputs, field)) {
    const outputs = Object.keys(evaluator.outputs).join(', ');
    report(['field'], `unknown field "${field}"; evaluator ${evaluator.name} outputs ${outputs}`);
    return undefined;
  }
  return field;
}

function checkLabelMap(
  rule: RawRule,
  key: 'labels' | 'annotations',
  templated: boolean,
  context: RuleCheckContext,
  problems: Problem[],
  report: Report,
): Record<string, string> {
  const raw = rule[key];
  const map: Record<string, string> = {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return map;
  }

  for (const [name, value] of Object.entries(raw)) {
    if (!labelNamePattern.test(name) || name.startsWith('__')) {
      report(
        [key, name],
        `invalid ${key === 'labels' ? 'label' : 'annotation'} name "${name}"; use letters, digits and underscores, not starting with a digit or "__"`,
        'error',
      );
    }
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      continue; // the schema reports it
    }
    const text = String(value);
    map[name] = text;
    if (templated) {
      checkTemplate(text, [...context.path, key, name], context, problems);
    }
    if (key === 'labels' && /\$values?\b/.test(text)) {
      report(
        [key, name],
        `label "${name}" is templated from the value, so every new value starts a new alert; move it to annotations`,
        'warning',
      );
    }
  }
  return map;
}

function checkTemplate(
  text: string,
  path: JsonPath,
  context: RuleCheckContext,
  problems: Problem[],
): void {
  try {
    compileTemplate(text);
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    const at = locateInScalar(context.parsed, path, error.column);
    problems.push(
      problem(context.parsed.file, at, formatPath(path), `invalid template: ${error.message}`),
    );
  }
}

function warnOnOutputLabels(
  labels: Record<string, string>,
  evaluator: EvaluatorFactory,
  report: Report,
): void {
  for (const name of evaluator.outputLabels.filter((label) => Object.hasOwn(labels, label))) {
    report(
      ['labels', name],
      `label "${name}" is also set by evaluator ${evaluator.name} on each output; the rule's value replaces it`,
      'warning',
    );
  }
}

function columnOfName(source: string, name: string): number {
  const match = new RegExp(`(?<![A-Za-z0-9_])${name}(?![A-Za-z0-9_])`).exec(source);
  return match === null ? 1 : match.index + 1;
}
