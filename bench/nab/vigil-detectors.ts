import { burstDetector } from '../../appliance/trend/detectors/burst.ts';
import { contextualDetector } from '../../appliance/trend/detectors/contextual.ts';
import { cusumDetector } from '../../appliance/trend/detectors/cusum.ts';
import type { AnomalyDetectorFactory } from '../../appliance/trend/detectors/detector.ts';
import { EnsembleDetector, ensembleDetector } from '../../appliance/trend/detectors/ensemble.ts';
import { ewmaDetector } from '../../appliance/trend/detectors/ewma.ts';
import { HoldoffDetector } from '../../appliance/trend/detectors/holdoff.ts';
import { kmeansDetector } from '../../appliance/trend/detectors/kmeans.ts';
import { seasonalDetector } from '../../appliance/trend/detectors/seasonal.ts';
import type { DetectorFactory } from './detector.ts';

/**
 * Hold-off after a score, in ms, for every Vigil detector on NAB: one configuration for all
 * files. Of 0, 12 h and 24 h, 24 h scored best overall for CUSUM, and of 6, 12, 24 and 48 h,
 * 24 h scored best for the calibrated ensemble (docs/benchmarks.md).
 */
export const NAB_HOLDOFF_MS = 24 * 3_600_000;

/**
 * Wraps a Vigil detector, with its default options and the NAB hold-off, as a NAB detector. A
 * NaN score (warm-up) counts as 0, as for a detector that abstains.
 */
export function adaptDetector(
  name: string,
  factory: AnomalyDetectorFactory,
  holdoffMs = NAB_HOLDOFF_MS,
): DetectorFactory {
  return {
    name,
    create() {
      const detector = new HoldoffDetector(factory.create(), holdoffMs);
      return {
        score(timestamp: number, value: number): number {
          const score = detector.update(timestamp, value);
          return Number.isNaN(score) ? 0 : score;
        },
      };
    },
  };
}

const factories = [
  kmeansDetector,
  seasonalDetector,
  ewmaDetector,
  cusumDetector,
  burstDetector,
  ensembleDetector,
  contextualDetector,
];

/** Single detectors that also run with a calibrated score, as `<name>-calibrated`. */
const calibrated = [kmeansDetector, seasonalDetector, ewmaDetector, cusumDetector, burstDetector];

function shortName(factory: { name: string }): string {
  return factory.name.replace(/^anomaly\./, '');
}

/**
 * Wraps a single detector so its score is its tail probability among its own earlier scores, as
 * an ensemble of one member.
 */
function calibratedFactory(factory: AnomalyDetectorFactory): AnomalyDetectorFactory {
  return {
    name: `${shortName(factory)}-calibrated`,
    create: () => new EnsembleDetector([factory.create()]),
  };
}

/** Vigil's detectors under their rule names without the `anomaly.` prefix. */
export const VIGIL_DETECTORS: readonly DetectorFactory[] = [
  ...factories.map((factory) =>
    adaptDetector(shortName(factory), factory as AnomalyDetectorFactory),
  ),
  ...calibrated.map((factory) => {
    const wrapped = calibratedFactory(factory as AnomalyDetectorFactory);
    return adaptDetector(wrapped.name, wrapped);
  }),
];
