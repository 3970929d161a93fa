import { KMEANS_DEFAULTS, KmeansDetector } from '../../trend/detectors/kmeans.ts';
import type { KmeansOptions } from '../../trend/detectors/kmeans.ts';
import { detectorEvaluator } from './detector-evaluator.ts';

/** `anomaly.kmeans`: Netdata-style k-means per series; see the detector for the score. */
export const kmeansEvaluator = detectorEvaluator({
  name: 'anomaly.kmeans',
  description:
    'k-means on smoothed, lagged first differences per series (Netdata style); the score is ' +
    'r / (1 + r) of the distance ratio r that every kept model agrees on.',
  defaults: KMEANS_DEFAULTS,
  create: (options) => new KmeansDetector(options as Partial<KmeansOptions>),
  extras: {
    ratio: {
      metric: 'vigil_anomaly_kmeans_ratio',
      help: 'Smallest distance ratio over the kept models; 1 is the farthest training point',
      read: (detector) => (detector as KmeansDetector).ratio,
    },
  },
  historyMs: (options) =>
    2 * ((options.trainWindowMs as number | undefined) ?? KMEANS_DEFAULTS.trainWindowMs),
});
