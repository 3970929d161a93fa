import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Problem } from '../config/config.ts';
import { parseDuration } from '../config/duration.ts';
import { createSchemaValidator, validateWithSchema } from '../config/schema-validation.ts';
import {
  formatPath,
  locate,
  problem,
  problemAt,
  type JsonPath,
  type ParsedYaml,
} from '../config/yaml-document.ts';
import { readYamlFile } from '../config/yaml-pipeline.ts';
import type { EvaluatorFactory } from '../evaluators/evaluator.ts';
import schema from '../../rules/rules.schema.json' with { type: 'json' };
import type { RuleGroup, RuleSet } from './model.ts';
import { checkRule, type RuleCheckContext } from './rule-checks.ts';

/**
 * Loads rule files of format version 1 into a `RuleSet`, running each file through the YAML
 * pipeline, the shipped JSON Schema and the checks that need the evaluators. Every problem of
 * every file is returned at once. Only rules and groups without errors enter the set, so a
 * caller that must be all-or-nothing (start, reload) checks `problems` for errors first.
 */

/** Newest format version this code reads; a file of a newer minor loads with a warning. */
export const supportedVersion = { major: 1, minor: 0 } as const;

/** Interval of a group that gives none. */
export const defaultIntervalMs = 60_000;

export interface RuleFileSummary {
  file: string;
  groups: number;
  rules: number;
}

export interface LoadRulesOptions {
  evaluators: ReadonlyMap<string, EvaluatorFactory>;
  /** Environment for `${NAME}` substitution; without it, `${...}` stays as written. */
  env?: NodeJS.ProcessEnv;
}

const validate = createSchemaValidator().compile(schema);

interface FileContext extends Omit<RuleCheckContext, 'path'> {
  /** Whether the schema reported an error at or below a path. */
  failed(path: JsonPath): boolean;
  /** Whether the schema reported an error exactly at a path. */
  failedExactly(path: JsonPath): boolean;
}

export function loadRules(
  paths: string[],
  options: LoadRulesOptions,
): { ruleSet: RuleSet; problems: Problem[] } {
  const { ruleSet, problems } = loadRuleFiles(paths, options);
  return { ruleSet, problems };
}

/** Loads as `loadRules` does and also counts the groups and rules written in each file. */
export function loadRuleFiles(
  paths: string[],
  options: LoadRulesOptions,
): { ruleSet: RuleSet; problems: Problem[]; files: RuleFileSummary[] } {
  const { files, problems } = expandPaths(paths);
  const groups: RuleGroup[] = [];
  const summaries: RuleFileSummary[] = [];
  const groupNames = new Map<string, string>();

  for (const file of files) {
    const result = loadFile(file, options, groupNames);
    groups.push(...result.groups);
    problems.push(...result.problems.sort((a, b) => a.line - b.line || a.column - b.column));
    summaries.push(result.summary);
  }
  return { ruleSet: { groups }, problems, files: summaries };
}

/** Expands directories to their `*.yaml` and `*.yml` files, sorted; named files are kept. */
export function expandPaths(paths: string[]): { files: string[]; problems: Problem[] } {
  const files: string[] = [];
  const problems: Problem[] = [];
  const at = { line: 1, column: 1 };

  for (const path of paths) {
    let isDirectory = false;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      problems.push(problem(path, at, '', 'file or directory not found; check the path'));
      continue;
    }
    if (!isDirectory) {
      files.push(path);
      continue;
    }

    const entries = readdirSync(path)
      .filter((name) => ['.yaml', '.yml'].includes(extname(name)))
      .sort()
      .map((name) => join(path, name));
    if (entries.length === 0) {
      const message = 'directory has no *.yaml or *.yml files; no rules load from it';
      problems.push({ ...problem(path, at, '', message), severity: 'warning' });
    }
    files.push(...entries);
  }
  return { files, problems };
}

function loadFile(
  file: string,
  options: LoadRulesOptions,
  groupNames: Map<string, string>,
): { groups: RuleGroup[]; problems: Problem[]; summary: RuleFileSummary } {
  const summary = { file, groups: 0, rules: 0 };
  const { yaml, problems } = readYamlFile(file, options.env);
  if (yaml === undefined || yaml.value === undefined || hasErrors(problems)) {
    return { groups: [], problems, summary };
  }

  const { parsed, value } = yaml;
  const version = checkVersion(parsed, value);
  problems.push(...version.problems);
  if (!version.readable) {
    return { groups: [], problems, summary };
  }

  const schemaProblems = validateWithSchema(parsed, value, validate, {
    unknownKeysAsWarnings: version.newerMinor,
  });
  problems.push(...schemaProblems);

  if (typeof value !== 'object' || value === null) {
    // An empty or comment-only file parses to null; the version problem above names it.
    return { groups: [], problems, summary };
  }
  const rawGroups = Array.isArray((value as { groups?: unknown }).groups)
    ? ((value as { groups: unknown[] }).groups as unknown[])
    : [];
  summary.groups = rawGroups.length;
  const schemaErrors = schemaProblems.filter((p) => p.severity === 'error').map((p) => p.path);
  const context: FileContext = {
    parsed,
    evaluators: options.evaluators,
    failed: (path) => schemaErrors.some((error) => isWithin(error, formatPath(path))),
    failedExactly: (path) => schemaErrors.includes(formatPath(path)),
  };
  const groups: RuleGroup[] = [];
  if (schemaErrors.some((path) => path === '' || path === 'groups')) {
    return { groups: [], problems, summary };
  }

  rawGroups.forEach((raw, index) => {
    const rules = Array.isArray((raw as { rules?: unknown })?.rules)
      ? (raw as { rules: unknown[] }).rules
      : [];
    summary.rules += rules.length;
    const group = checkGroup(raw as Record<string, unknown>, index, context, groupNames, problems);
    if (group !== undefined) {
      groups.push(group);
    }
  });

  return { groups, problems, summary };
}

function checkVersion(
  parsed: ParsedYaml,
  value: unknown,
): { readable: boolean; newerMinor: boolean; problems: Problem[] } {
  const raw =
    typeof value === 'object' && value !== null
      ? (value as { version?: unknown }).version
      : undefined;
  if (raw === undefined) {
    const message = `missing version; add "version: ${supportedVersion.major}" as the first key`;
    return { readable: true, newerMinor: false, problems: [problemAt(parsed, [], message)] };
  }

  const match = /^(\d+)(?:\.(\d+))?$/.exec(String(raw));
  if (match === null) {
    return { readable: true, newerMinor: false, problems: [] }; // the schema reports it
  }
  const major = Number(match[1]);
  const minor = Number(match[2] ?? 0);
  if (major !== supportedVersion.major) {
    const message = `version ${String(raw)} is not supported; this Vigil reads rule files of version ${supportedVersion.major}`;
    return {
      readable: false,
      newerMinor: false,
      problems: [problemAt(parsed, ['version'], message)],
    };
  }
  if (minor > supportedVersion.minor) {
    const message = `version ${String(raw)} is newer than ${supportedVersion.major}.${supportedVersion.minor}, the newest this Vigil reads; unknown keys are ignored with a warning`;
    return {
      readable: true,
      newerMinor: true,
      problems: [problemAt(parsed, ['version'], message, 'warning')],
    };
  }
  return { readable: true, newerMinor: false, problems: [] };
}

function checkGroup(
  raw: Record<string, unknown> | null,
  index: number,
  context: FileContext,
  groupNames: Map<string, string>,
  problems: Problem[],
): RuleGroup | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return undefined; // the schema reports it
  }
  const path = ['groups', index];
  const before = problems.length;
  const name = typeof raw.name === 'string' ? raw.name : '';
  const file = context.parsed.file;

  const first = groupNames.get(name);
  if (name !== '' && first !== undefined) {
    const message = `duplicate group name "${name}", first used at ${first}; give each group its own name`;
    problems.push(problemAt(context.parsed, [...path, 'name'], message));
  } else if (name !== '') {
    const at = locate(context.parsed, [...path, 'name']);
    groupNames.set(name, `${file}:${at.line}:${at.column}`);
  }

  const intervalMs =
    typeof raw.interval === 'string' ? parseDuration(raw.interval) : defaultIntervalMs;
  if (intervalMs === 0) {
    problems.push(
      problemAt(context.parsed, [...path, 'interval'], 'got "0", expected an interval above 0'),
    );
  }

  const rules = checkRules(raw.rules, path, context, problems);
  const groupLevel = ['name', 'interval', 'limit', 'rules'].map((key) => [...path, key]);
  groupLevel.push(path);
  const schemaFailed = groupLevel.some((groupPath) => context.failedExactly(groupPath));
  const groupFailed = hasErrors(
    problems.slice(before).filter((p) => !isWithin(p.path, formatPath([...path, 'rules']))),
  );
  if (schemaFailed || groupFailed || intervalMs === undefined || name === '') {
    return undefined;
  }
  const limit = typeof raw.limit === 'number' ? raw.limit : 0;
  return { name, intervalMs, rules, file, ...(limit > 0 ? { limit } : {}) };
}

function checkRules(
  raw: unknown,
  groupPath: Array<string | number>,
  context: FileContext,
  problems: Problem[],
): RuleGroup['rules'] {
  const rules: RuleGroup['rules'] = [];
  const names = new Map<string, number>();
  const list = Array.isArray(raw) ? raw : [];

  list.forEach((item, index) => {
    const path = [...groupPath, 'rules', index];
    const result = checkRule(item, {
      parsed: context.parsed,
      evaluators: context.evaluators,
      path,
    });
    problems.push(...result.problems);

    const name = result.name;
    if (name !== undefined && names.has(name)) {
      const message = `duplicate rule name "${name}" in this group, first at rules[${String(names.get(name))}]; rename one`;
      problems.push(problemAt(context.parsed, path, message));
      return;
    }
    if (name !== undefined) names.set(name, index);
    if (result.rule !== undefined && !context.failed(path)) rules.push(result.rule);
  });
  warnOnDuplicateDefinitions(rules, list, groupPath, context, problems);
  return rules;
}

/** Warns about rules of one group that evaluate the same thing under different names. */
function warnOnDuplicateDefinitions(
  rules: RuleGroup['rules'],
  list: unknown[],
  groupPath: Array<string | number>,
  context: FileContext,
  problems: Problem[],
): void {
  const seen = new Map<string, string>();
  for (const rule of rules) {
    const definition = JSON.stringify({ ...rule, name: undefined, position: undefined });
    const first = seen.get(definition);
    if (first === undefined) {
      seen.set(definition, rule.name);
      continue;
    }
    const index = list.findIndex(
      (item) =>
        (item as { alert?: unknown; record?: unknown })?.[
          rule.kind === 'alert' ? 'alert' : 'record'
        ] === rule.name,
    );
    const message = `rule ${rule.name} duplicates rule ${first}: same evaluator, inputs and conditions; remove one`;
    problems.push(problemAt(context.parsed, [...groupPath, 'rules', index], message, 'warning'));
  }
}

function isWithin(path: string, parent: string): boolean {
  return path === parent || path.startsWith(`${parent}.`) || path.startsWith(`${parent}[`);
}

function hasErrors(problems: Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}
