import {
  ENSEMBLE_DEFAULTS,
  EnsembleDetector,
  defaultMembers,
} from '../../trend/detectors/ensemble.ts';
import type { EnsembleOptions } from '../../trend/detectors/ensemble.ts';
import { detectorEvaluator } from './detector-evaluator.ts';

/**
 * `anomaly.ensemble`: the seasonal detector and CUSUM, each score calibrated against its own
 * earlier scores on the series. A score of 0.3 is a p-value of about 2.7e-3, so thresholds sit
 * lower than for the single detectors, whose 0.5 is a model p-value of 1e-6.
 */
export const ensembleEvaluator = detectorEvaluator({
  name: 'anomaly.ensemble',
  description:
    'Seasonal and CUSUM detectors per series, each score turned into its empirical tail ' +
    "probability among the series' earlier scores, as a log-scaled score of the smallest " +
    'p-value times two.',
  defaults: ENSEMBLE_DEFAULTS,
  create: (options) => new EnsembleDetector(defaultMembers(), options as Partial<EnsembleOptions>),
  extras: {
    p_value: {
      metric: 'vigil_anomaly_ensemble_p_value',
      help: 'Calibrated ensemble p-value of the latest point',
      read: (detector) => (detector as EnsembleDetector).pValue,
    },
  },
  // The seasonal member needs a day of history and each calibration 100 scores after it.
  historyMs: () => 2 * 86_400_000,
});
