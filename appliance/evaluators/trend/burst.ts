import { BURST_DEFAULTS, BurstDetector } from '../../trend/detectors/burst.ts';
import type { BurstOptions } from '../../trend/detectors/burst.ts';
import { detectorEvaluator } from './detector-evaluator.ts';

/** `anomaly.burst`: quasi-Poisson surge test of counts against the seasonal median. */
export const burstEvaluator = detectorEvaluator({
  name: 'anomaly.burst',
  description:
    'Surge test per count series: quasi-Poisson upper tail against the median count at the ' +
    'same time of week, as a p-value and a log-scaled score.',
  defaults: BURST_DEFAULTS,
  create: (options) => new BurstDetector(options as Partial<BurstOptions>),
  extras: {
    p_value: {
      metric: 'vigil_anomaly_burst_p_value',
      help: 'Upper-tail p-value of the latest count',
      read: (detector) => (detector as BurstDetector).pValue,
    },
    expected: {
      metric: 'vigil_anomaly_burst_expected',
      help: 'Expected count of the latest interval',
      read: (detector) => (detector as BurstDetector).expected,
    },
    dispersion: {
      metric: 'vigil_anomaly_burst_dispersion',
      help: 'Estimated over-dispersion (variance over mean) of the counts',
      read: (detector) => Math.max(1, (detector as BurstDetector).dispersion),
    },
  },
  historyMs: () => 86_400_000,
});
