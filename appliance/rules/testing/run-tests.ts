import { isDeepStrictEqual } from 'node:util';

import type { AlertInstance } from '../../alerting/state-machine.ts';
import type { Problem } from '../../config/config.ts';
import { formatDuration } from '../../config/duration.ts';
import type { EvaluatorFactory } from '../../evaluators/evaluator.ts';
import { loadRules } from '../load-rules.ts';
import type { RuleSet } from '../model.ts';
import { loadTestFile } from './load-test-file.ts';
import { formatSeries } from './notation.ts';
import { TestHarness } from './test-harness.ts';
import type {
  AlertTest,
  ExpectedState,
  NotificationSummary,
  RuleTest,
  RuleTestFile,
} from './test-model.ts';

/** The outcome of one test file: problems that kept it from running, or the failed assertions. */
export interface TestFileResult {
  file: string;
  /** Errors in the test file or its rule files; when any, no test ran. */
  problems: Problem[];
  /** One line per failed assertion: `file:line: test "name" at 10m: expected ... got ...`. */
  failures: string[];
  tests: number;
}

export interface RunOptions {
  evaluators: ReadonlyMap<string, EvaluatorFactory>;
  /** Environment for `${NAME}` in the rule files. */
  env?: NodeJS.ProcessEnv;
}

/** Loads a test file and its rule files, then runs every test on a fresh engine. */
export async function runTestFile(path: string, options: RunOptions): Promise<TestFileResult> {
  const loaded = loadTestFile(path);
  if (loaded.file === undefined)
    return { file: path, problems: loaded.problems, failures: [], tests: 0 };

  const testFile = loaded.file;
  const { ruleSet, problems } = loadRules(testFile.ruleFiles, {
    evaluators: options.evaluators,
    env: options.env ?? {},
  });
  const errors = problems.filter((problem) => problem.severity === 'error');
  if (errors.length > 0) return { file: path, problems: errors, failures: [], tests: 0 };

  const failures: string[] = [];
  for (const test of testFile.tests) {
    failures.push(...(await runTest(testFile, test, ruleSet, options.evaluators)));
  }
  return { file: path, problems: [], failures, tests: testFile.tests.length };
}

async function runTest(
  testFile: RuleTestFile,
  test: RuleTest,
  ruleSet: RuleSet,
  evaluators: ReadonlyMap<string, EvaluatorFactory>,
): Promise<string[]> {
  const where = (line: number, time?: number) =>
    `${testFile.file}:${line}: test "${test.name}"${time === undefined ? '' : ` at ${formatDuration(time)}`}`;
  const unknown = unknownNames(test, ruleSet).map((message) => `${where(test.line)}: ${message}`);
  if (unknown.length > 0) return unknown;

  const harness = new TestHarness({
    ruleSet,
    evaluators,
    test,
    receivers: test.notifications.map((expectation) => expectation.receiver),
  });
  const failures: string[] = [];
  try {
    const checks = [...test.alertTests].sort((a, b) => a.evalTimeMs - b.evalTimeMs);
    for (const check of checks) {
      await harness.advanceTo(check.evalTimeMs);
      const failure = compareAlerts(check, harness.engine.alertStates());
      if (failure !== undefined)
        failures.push(`${where(check.line, check.evalTimeMs)}: ${failure}`);
    }

    await harness.advanceTo(endOf(test));
    for (const expectation of test.notifications) {
      const received = harness.received.get(expectation.receiver) ?? [];
      const failure = compareNotifications(expectation.expected, received);
      if (failure !== undefined) {
        failures.push(
          `${where(expectation.line, failure.atMs)}: receiver ${expectation.receiver}: ${failure.message}`,
        );
      }
    }
  } finally {
    harness.close();
  }
  return failures;
}

/** Names in the test that the rule files do not define. */
function unknownNames(test: RuleTest, ruleSet: RuleSet): string[] {
  const rules = ruleSet.groups.flatMap((group) => group.rules);
  const alerts = new Set(rules.filter((rule) => rule.kind === 'alert').map((rule) => rule.name));
  const names = new Set(rules.map((rule) => rule.name));
  const messages: string[] = [];
  for (const { rule } of test.inputOutputs) {
    if (!names.has(rule))
      messages.push(`input_outputs names rule "${rule}", which no rule file defines`);
  }
  for (const { alertname } of test.alertTests) {
    if (!alerts.has(alertname))
      messages.push(`alert_rule_test names alert "${alertname}", which no rule file defines`);
  }
  return messages;
}

/** The last time the test looks at: its checks, expected notifications and input values. */
function endOf(test: RuleTest): number {
  const inputs = [
    ...test.inputSeries.map((series) => series.values.length),
    ...test.inputOutputs.map((outputs) =>
      Math.max(...Object.values(outputs.fields).map((v) => v.length)),
    ),
  ].map((length) => Math.max(0, length - 1) * test.intervalMs);
  const checks = test.alertTests.map((check) => check.evalTimeMs);
  const sent = test.notifications.flatMap((e) => e.expected.map((summary) => summary.atMs));
  return Math.max(0, ...inputs, ...checks, ...sent);
}

function stateOf(instance: AlertInstance): ExpectedState | undefined {
  if (instance.resolvedAt > 0) return 'resolved';
  return instance.state === 'inactive' ? undefined : instance.state;
}

/**
 * Compares the pending, firing and still-kept resolved instances of `alertname` with the
 * expected ones, by state and labels; annotations only where the test gives them.
 */
function compareAlerts(check: AlertTest, instances: readonly AlertInstance[]): string | undefined {
  const actual = instances.flatMap((instance) => {
    const state = stateOf(instance);
    const { alertname, ...labels } = instance.labels;
    if (state === undefined || alertname !== check.alertname) return [];
    return [
      {
        key: `${state} ${formatSeries(check.alertname, labels)}`,
        annotations: instance.annotations,
      },
    ];
  });
  const expected = check.expected.map((alert) => ({
    key: `${alert.state} ${formatSeries(check.alertname, alert.labels)}`,
    annotations: alert.annotations,
  }));

  const actualKeys = actual.map((alert) => alert.key).sort();
  const expectedKeys = expected.map((alert) => alert.key).sort();
  if (!isDeepStrictEqual(actualKeys, expectedKeys)) {
    return `expected ${listOf(expectedKeys)}, got ${listOf(actualKeys)}`;
  }
  for (const alert of expected) {
    const found = actual.find((candidate) => candidate.key === alert.key);
    if (alert.annotations === undefined || isDeepStrictEqual(found?.annotations, alert.annotations))
      continue;
    return `${alert.key}: expected annotations ${JSON.stringify(alert.annotations)}, got ${JSON.stringify(found?.annotations)}`;
  }
  return undefined;
}

/** Compares the sequences; returns the first difference and the time it is at. */
function compareNotifications(
  expected: readonly NotificationSummary[],
  received: readonly NotificationSummary[],
): { atMs: number; message: string } | undefined {
  const count = Math.max(expected.length, received.length);
  for (let index = 0; index < count; index++) {
    const want = expected[index];
    const got = received[index];
    if (isDeepStrictEqual(want, got)) continue;
    const atMs = want?.atMs ?? got?.atMs ?? 0;
    return {
      atMs,
      message: `notification ${index + 1}: expected ${describe(want)}, got ${describe(got)}`,
    };
  }
  return undefined;
}

function describe(summary: NotificationSummary | undefined): string {
  if (summary === undefined) return 'none';
  const parts = [`at ${formatDuration(summary.atMs)}`];
  if (summary.firing.length > 0) parts.push(`firing ${listOf(summary.firing)}`);
  if (summary.resolved.length > 0) parts.push(`resolved ${listOf(summary.resolved)}`);
  return parts.join(' ');
}

function listOf(items: readonly string[]): string {
  return items.length === 0 ? 'no alerts' : `[${items.join(', ')}]`;
}
