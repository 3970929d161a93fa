import type { EvaluatorFactory } from './evaluator.ts';
import { missingRateEvaluator } from './data/missing-rate.ts';
import { schemaViolationsEvaluator } from './data/schema-violations.ts';
import { andersonDarlingEvaluator } from './drift/anderson-darling.ts';
import { autoDriftEvaluator } from './drift/auto.ts';
import { chiSquareEvaluator } from './drift/chi-square.ts';
import { cramerVonMisesEvaluator } from './drift/cramer-von-mises.ts';
import { hellingerEvaluator } from './drift/hellinger.ts';
import { jensenShannonEvaluator } from './drift/jensen-shannon.ts';
import { ksEvaluator } from './drift/ks.ts';
import { psiEvaluator } from './drift/psi.ts';
import { driftShareEvaluator } from './drift/share.ts';
import { twoProportionZEvaluator } from './drift/two-proportion-z.ts';
import { wassersteinEvaluator } from './drift/wasserstein.ts';
import { errorRateEvaluator } from './ops/error-rate.ts';
import { latencyEvaluator } from './ops/latency.ts';
import { seriesOverTimeEvaluator } from './series/over-time.ts';
import { seriesRatioEvaluator } from './series/ratio.ts';
import { throughputEvaluator } from './ops/throughput.ts';
import {
  accuracyEvaluator,
  f1Evaluator,
  precisionEvaluator,
  recallEvaluator,
} from './quality/classification.ts';
import { logLossEvaluator, prAucEvaluator, rocAucEvaluator } from './quality/binary-scores.ts';
import { confusionMatrixEvaluator } from './quality/confusion-matrix.ts';
import {
  maeEvaluator,
  mapeEvaluator,
  maxErrorEvaluator,
  meEvaluator,
  r2Evaluator,
  rmseEvaluator,
} from './quality/regression.ts';
import { burstEvaluator } from './trend/burst.ts';
import { contextualEvaluator } from './trend/contextual.ts';
import { cusumEvaluator } from './trend/cusum.ts';
import { ensembleEvaluator } from './trend/ensemble.ts';
import { ewmaEvaluator } from './trend/ewma.ts';
import { forecastHoltEvaluator, forecastHoltWintersEvaluator } from './trend/forecast-holt.ts';
import { forecastLinearEvaluator } from './trend/forecast-linear.ts';
import { timeToThresholdEvaluator } from './trend/forecast-time-to-threshold.ts';
import { kmeansEvaluator } from './trend/kmeans.ts';
import { mannKendallEvaluator } from './trend/mann-kendall.ts';
import { robustZscoreEvaluator } from './trend/robust-zscore.ts';
import { seasonalEvaluator } from './trend/seasonal.ts';

const all: EvaluatorFactory[] = [
  ksEvaluator,
  psiEvaluator,
  chiSquareEvaluator,
  jensenShannonEvaluator,
  wassersteinEvaluator,
  hellingerEvaluator,
  twoProportionZEvaluator,
  andersonDarlingEvaluator,
  cramerVonMisesEvaluator,
  autoDriftEvaluator,
  driftShareEvaluator,
  missingRateEvaluator,
  schemaViolationsEvaluator,
  meEvaluator,
  maeEvaluator,
  rmseEvaluator,
  mapeEvaluator,
  r2Evaluator,
  maxErrorEvaluator,
  accuracyEvaluator,
  precisionEvaluator,
  recallEvaluator,
  f1Evaluator,
  rocAucEvaluator,
  prAucEvaluator,
  logLossEvaluator,
  confusionMatrixEvaluator,
  latencyEvaluator,
  errorRateEvaluator,
  throughputEvaluator,
  robustZscoreEvaluator,
  kmeansEvaluator,
  seasonalEvaluator,
  contextualEvaluator,
  ewmaEvaluator,
  cusumEvaluator,
  burstEvaluator,
  ensembleEvaluator,
  forecastLinearEvaluator,
  forecastHoltEvaluator,
  forecastHoltWintersEvaluator,
  timeToThresholdEvaluator,
  mannKendallEvaluator,
  seriesOverTimeEvaluator,
  seriesRatioEvaluator,
];

/** Every evaluator a rule file can name, by its dotted name. */
export const evaluators: ReadonlyMap<string, EvaluatorFactory> = new Map(
  all.map((factory) => [factory.name, factory]),
);
