import { SEASONAL_DEFAULTS, SeasonalDetector } from '../../trend/detectors/seasonal.ts';
import type { SeasonalOptions } from '../../trend/detectors/seasonal.ts';
import { detectorEvaluator } from './detector-evaluator.ts';

/** `anomaly.seasonal`: robust z against the same time of week, or of day while learning. */
export const seasonalEvaluator = detectorEvaluator({
  name: 'anomaly.seasonal',
  description:
    'Robust z-score per series against the median and MAD at the same time of week ' +
    '(of day while the week is learned), as a log-scaled p-value score.',
  defaults: SEASONAL_DEFAULTS,
  create: (options) => new SeasonalDetector(options as Partial<SeasonalOptions>),
  extras: {
    z: {
      metric: 'vigil_anomaly_seasonal_z',
      help: 'Robust z of the latest point against its time slot',
      read: (detector) => (detector as SeasonalDetector).z,
    },
    expected: {
      metric: 'vigil_anomaly_seasonal_expected',
      help: 'Median of the time slot the latest point was compared with',
      read: (detector) => (detector as SeasonalDetector).expected,
    },
  },
  historyMs: () => 86_400_000,
});
