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
 * NOTE: after n calibrated scores the smallest p-value is 2 / (1 + n), so a series with fewer
 * than about 750 scores of history cannot reach a score of 0.3.
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
  // A week fills the seasonal member's weekly slots and gives each calibration 2,000 scores at
  // 5-minute steps, enough for p-values down to 1e-3.
  historyMs: () => 7 * 86_400_000,
});
