import { CUSUM_DEFAULTS, CusumDetector } from '../../trend/detectors/cusum.ts';
import type { CusumOptions } from '../../trend/detectors/cusum.ts';
import { detectorEvaluator } from './detector-evaluator.ts';

/** `anomaly.cusum`: two-sided tabular CUSUM on standardised residuals. */
export const cusumEvaluator = detectorEvaluator({
  name: 'anomaly.cusum',
  description:
    'Two-sided tabular CUSUM per series on residuals standardised by an exponentially ' +
    'weighted baseline, as a log-scaled score of exp(-2 k S).',
  defaults: CUSUM_DEFAULTS,
  create: (options) => new CusumDetector(options as Partial<CusumOptions>),
  extras: {
    statistic: {
      metric: 'vigil_anomaly_cusum_statistic',
      help: 'max(S+, S-) after the latest point, in standard deviations',
      read: (detector) => (detector as CusumDetector).statistic,
    },
  },
  historyMs: () => 86_400_000,
});
