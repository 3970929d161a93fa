import type { EvaluatorFactory } from '../evaluators/evaluator.ts';
import { formatProblem } from '../config/config.ts';
import { runTestFile } from '../rules/testing/run-tests.ts';

/** Exit codes of `vigil rules test`. */
export const RULES_TEST_EXIT = { passed: 0, failed: 1, usage: 2 } as const;

export const RULES_TEST_HELP = `Usage: vigil rules test FILE...

Runs the unit tests of rules in each test file on the real rule engine, an in-memory store
and the event-time clock. Exit 0 when every test passes, 1 when an assertion fails or a file
is invalid (each printed as file:line), 2 on a usage error.
`;

export interface RulesTestIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  evaluators: ReadonlyMap<string, EvaluatorFactory>;
  env?: NodeJS.ProcessEnv;
}

/** Runs `vigil rules test FILE...`; returns the exit code. */
export async function runRulesTest(args: string[], io: RulesTestIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(RULES_TEST_HELP);
    return RULES_TEST_EXIT.passed;
  }
  const option = args.find((arg) => arg.startsWith('-'));
  if (option !== undefined || args.length === 0) {
    const reason = option === undefined ? 'missing FILE' : `unknown option "${option}"`;
    io.stderr(`rules test: ${reason}\n${RULES_TEST_HELP}`);
    return RULES_TEST_EXIT.usage;
  }

  let failed = false;
  for (const path of args) {
    const result = await runTestFile(path, { evaluators: io.evaluators, env: io.env ?? {} });
    for (const problem of result.problems) io.stderr(`${formatProblem(problem)}\n`);
    for (const failure of result.failures) io.stderr(`${failure}\n`);

    if (result.problems.length > 0) {
      io.stdout(`${path}: invalid, no test ran\n`);
    } else if (result.failures.length > 0) {
      io.stdout(
        `${path}: FAILED, ${result.failures.length} failed assertions in ${result.tests} tests\n`,
      );
    } else {
      io.stdout(`${path}: ${result.tests} tests passed\n`);
    }
    failed ||= result.problems.length > 0 || result.failures.length > 0;
  }
  return failed ? RULES_TEST_EXIT.failed : RULES_TEST_EXIT.passed;
}
