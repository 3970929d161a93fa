import { EWMA_DEFAULTS, EwmaDetector } from '../../trend/detectors/ewma.ts';
import type { EwmaOptions } from '../../trend/detectors/ewma.ts';
import { detectorEvaluator } from './detector-evaluator.ts';

/** `anomaly.ewma`: EWMA control chart of the residuals from a slow baseline. */
export const ewmaEvaluator = detectorEvaluator({
  name: 'anomaly.ewma',
  description:
    'EWMA control chart per series on residuals from an exponentially weighted baseline, ' +
    'as a log-scaled p-value score.',
  defaults: EWMA_DEFAULTS,
  create: (options) => new EwmaDetector(options as Partial<EwmaOptions>),
  extras: {
    p_value: {
      metric: 'vigil_anomaly_ewma_p_value',
      help: 'Two-sided normal p-value of the EWMA statistic of the latest point',
      read: (detector) => (detector as EwmaDetector).pValue,
    },
  },
  historyMs: () => 86_400_000,
});
