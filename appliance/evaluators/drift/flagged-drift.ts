import { adjustPValues, type Correction } from '../../stats/multiple-testing.ts';
import type {
  EvaluationContext,
  EvaluationOutput,
  EvaluatorFactory,
  EvaluatorInputs,
  EvaluatorInstance,
} from '../evaluator.ts';
import { createDriftPairReader, DEFAULT_EXACT_MAX, type DriftPair } from '../drift-pairs.ts';
import { andersonDarlingEvaluator } from './anderson-darling.ts';
import { chooseTest, DEFAULT_LARGE_SAMPLE, type DriftTest } from './auto-choice.ts';
import { chiSquareEvaluator } from './chi-square.ts';
import { cramerVonMisesEvaluator } from './cramer-von-mises.ts';
import { flagDrift, P_VALUE_TESTS, type DecisionOptions } from './decision.ts';
import { hellingerEvaluator } from './hellinger.ts';
import { jensenShannonEvaluator } from './jensen-shannon.ts';
import { ksEvaluator } from './ks.ts';
import { psiEvaluator } from './psi.ts';
import { twoProportionZEvaluator } from './two-proportion-z.ts';
import { wassersteinEvaluator } from './wasserstein.ts';

/**
 * Per-feature drift results with a drift flag: each feature runs one test (fixed, or chosen
 * by `chooseTest`), the test's own evaluator computes it with its defaults, and the flag
 * follows `flagDrift`. With a correction, the p-values of the p-value tests are adjusted
 * across the features of one evaluation before flagging. Distances are not corrected.
 * `exactMax` goes to the tests that have a sketch form, so a feature above it runs on sketches;
 * the z-test, Anderson-Darling and Cramér-von Mises always run on raw samples.
 */

const FACTORIES: Record<DriftTest, EvaluatorFactory> = {
  ks: ksEvaluator,
  psi: psiEvaluator,
  chi2: chiSquareEvaluator,
  js: jensenShannonEvaluator,
  wasserstein: wassersteinEvaluator,
  hellinger: hellingerEvaluator,
  ztest: twoProportionZEvaluator,
  ad: andersonDarlingEvaluator,
  cvm: cramerVonMisesEvaluator,
};

export interface FlaggedDriftOptions extends DecisionOptions {
  test: DriftTest | 'auto';
  largeSample: number;
  correction: Correction;
  /** Largest sample tested exactly; see `params.exact_max`. */
  exactMax: number;
}

export const DEFAULT_FLAGGED_OPTIONS: FlaggedDriftOptions = {
  test: 'auto',
  alpha: 0.05,
  thresholds: {},
  largeSample: DEFAULT_LARGE_SAMPLE,
  correction: 'none',
  exactMax: DEFAULT_EXACT_MAX,
};

const EXACT_ONLY: ReadonlySet<DriftTest> = new Set(['ztest', 'ad', 'cvm']);

// Instances of the delegated evaluators are kept per test and feature list, so a fixed
// reference stays cached. The cache is cleared past this size, because the feature lists
// of a test change when sizes cross `largeSample`.
const MAX_CACHED_INSTANCES = 64;

/** Creates the per-rule function that returns one flagged output per feature. */
export function createFlaggedDrift(
  stream: string,
  inputs: EvaluatorInputs,
  options: FlaggedDriftOptions,
): (context: EvaluationContext) => EvaluationOutput[] {
  const readPairs = createDriftPairReader(stream, inputs, options.exactMax);
  const instances = new Map<string, EvaluatorInstance>();
  const instanceFor = (test: DriftTest, features: string[]): EvaluatorInstance => {
    const key = `${test}\u0000${features.join('\u0000')}`;
    let instance = instances.get(key);
    if (instance === undefined) {
      if (instances.size >= MAX_CACHED_INSTANCES) instances.clear();
      const params = EXACT_ONLY.has(test) ? {} : { exact_max: options.exactMax };
      instance = FACTORIES[test].create({ ...inputs, stream, features, params });
      instances.set(key, instance);
    }
    return instance;
  };

  return (context) => {
    const results: TestedOutput[] = [];
    for (const [test, group] of groupByTest(readPairs(context), options)) {
      for (const output of instanceFor(test, group.features).evaluate(context)) {
        const rule = group.rules.get(output.labels.feature ?? '') ?? '';
        const convention = { ...output.convention, chosen_test: test, choice_rule: rule };
        results.push({ test, output: { ...output, convention } });
      }
    }
    return flagAll(results, options);
  };
}

interface TestedOutput {
  test: DriftTest;
  output: EvaluationOutput;
}

interface TestGroup {
  features: string[];
  /** The choice rule per feature, for the convention. */
  rules: Map<string, string>;
}

/** Groups the features by the test each runs, so one evaluator instance serves a group. */
function groupByTest(
  pairs: readonly DriftPair[],
  options: FlaggedDriftOptions,
): Map<DriftTest, TestGroup> {
  const groups = new Map<DriftTest, TestGroup>();
  for (const pair of pairs) {
    const choice =
      options.test === 'auto'
        ? chooseTest(pair, options.largeSample)
        : { test: options.test, rule: 'fixed by configuration' };
    let group = groups.get(choice.test);
    if (group === undefined) {
      group = { features: [], rules: new Map() };
      groups.set(choice.test, group);
    }
    group.features.push(pair.feature);
    group.rules.set(pair.feature, choice.rule);
  }
  return groups;
}

/** Adjusts the p-values of the p-value tests together, then flags every output. */
function flagAll(
  results: readonly TestedOutput[],
  options: FlaggedDriftOptions,
): EvaluationOutput[] {
  const tested = results.filter(({ test }) => P_VALUE_TESTS.has(test));
  const adjusted = adjustPValues(
    tested.map(({ output }) => output.values.p_value ?? NaN),
    options.correction,
  );
  const adjustedByOutput = new Map(tested.map(({ output }, i) => [output, adjusted[i]!]));

  return results.map(({ test, output }) => {
    const labelled = { ...output, labels: { ...output.labels, test } };
    const pValue = adjustedByOutput.get(output);
    if (pValue === undefined || options.correction === 'none') {
      return flagDrift(test, labelled, options);
    }
    const values = { ...labelled.values, p_value_adjusted: pValue };
    const convention = { ...labelled.convention, correction: options.correction };
    return flagDrift(test, { ...labelled, values, convention }, options, pValue);
  });
}
