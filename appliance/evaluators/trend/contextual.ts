import { CONTEXTUAL_DEFAULTS, ContextualDetector } from '../../trend/detectors/contextual.ts';
import type { ContextualOptions } from '../../trend/detectors/contextual.ts';
import { detectorEvaluator } from './detector-evaluator.ts';

/** `anomaly.contextual`: share of new contexts among the recent sequences of quantised levels. */
export const contextualEvaluator = detectorEvaluator({
  name: 'anomaly.contextual',
  description:
    'Contextual novelty per series: values quantised into levels over the range seen so far, ' +
    'scored by the share of contexts (the current level after the previous ones) never seen.',
  defaults: CONTEXTUAL_DEFAULTS,
  create: (options) => new ContextualDetector(options as Partial<ContextualOptions>),
  extras: {
    level: {
      metric: 'vigil_anomaly_contextual_level',
      help:
        'Quantisation level of the latest point: 0 below the range seen before it, ' +
        'levels + 1 above it',
      read: (detector) => (detector as ContextualDetector).level,
    },
  },
  historyMs: () => 86_400_000,
});
