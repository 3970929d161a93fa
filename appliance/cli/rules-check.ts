import { formatProblem, type Problem } from '../config/config.ts';
import type { EvaluatorFactory } from '../evaluators/evaluator.ts';
import { loadRuleFiles } from '../rules/load-rules.ts';

/**
 * `vigil rules check PATH...`: loads rule files as the appliance would and prints each problem
 * as `file:line:column: path: message` on stderr and one summary line per file on stdout.
 * Returns the exit code: 0 when no problem is an error, 1 otherwise, 2 without paths, and 3
 * with `lintFatal` when there is no error but at least one warning (a lint).
 */

export interface RulesCheckIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  evaluators: ReadonlyMap<string, EvaluatorFactory>;
  /** Environment for `${NAME}` substitution, as the appliance gets it; none leaves `${...}` as written. */
  env?: NodeJS.ProcessEnv;
  /** Exit 3 when warnings remain without errors, for CI that treats lints as failures. */
  lintFatal?: boolean;
}

export function runRulesCheck(paths: string[], io: RulesCheckIo): number {
  if (paths.length === 0) {
    io.stderr('rules check: no rule files given; pass files or directories');
    return 2;
  }

  const { problems, files } = loadRuleFiles(paths, { evaluators: io.evaluators, env: io.env });
  for (const problem of problems) {
    io.stderr(formatProblem(problem));
  }

  for (const summary of files) {
    const own = problems.filter((problem) => problem.file === summary.file);
    io.stdout(
      `${summary.file}: ${plural(summary.groups, 'group')}, ${plural(summary.rules, 'rule')}${counts(own)}`,
    );
  }
  if (problems.some((problem) => problem.severity === 'error')) return 1;
  return io.lintFatal === true && problems.length > 0 ? 3 : 0;
}

function counts(problems: Problem[]): string {
  const errors = problems.filter((problem) => problem.severity === 'error').length;
  const warnings = problems.length - errors;
  const parts = [
    errors > 0 ? plural(errors, 'error') : '',
    warnings > 0 ? plural(warnings, 'warning') : '',
  ];
  const text = parts.filter((part) => part !== '').join(', ');
  return text === '' ? '' : `, ${text}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
