import { CONTEXTUAL_DEFAULTS, ContextualDetector } from '../../trend/detectors/contextual.ts';
import type { ContextualOptions } from '../../trend/detectors/contextual.ts';
import { detectorEvaluator } from './detector-evaluator.ts';

/** `anomaly.contextual`: share of new contexts among the recent sequences of quantised levels. */
export const contextualEvaluator = detectorEvaluator({
  name: 'anomaly.contextual',
  description:
    'Contextual novelty per series: values quantised into levels over the range seen so far, ' +
    'scored by the share of contexts (the current level after the previous ones) never seen, ' +
    'averaged with whether the recent window of values matches no learned histogram.',
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
    novelty: {
      metric: 'vigil_anomaly_contextual_novelty',
      help: 'Share of new contexts of the latest point, averaged over the quantisation grids',
      read: (detector) => (detector as ContextualDetector).novelty,
    },
    window_novel: {
      metric: 'vigil_anomaly_contextual_window_novel',
      help: '1 when the latest window of values matched no learned histogram, else 0',
      read: (detector) => (detector as ContextualDetector).windowNovel,
    },
  },
  historyMs: () => 86_400_000,
});
