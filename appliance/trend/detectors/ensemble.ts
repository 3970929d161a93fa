import { CusumDetector } from './cusum.ts';
import type { AnomalyDetector, AnomalyDetectorFactory } from './detector.ts';
import { NON_FINITE_REASON, scoreFromPValue } from './detector.ts';
import { integerOption, numberOption } from './options.ts';
import { SeasonalDetector } from './seasonal.ts';
import { TailCalibrator } from './tail-calibrator.ts';

/**
 * Ensemble of detectors with calibrated scores. Each member's score is turned into its empirical
 * tail probability among the member's own earlier scores on the series (`TailCalibrator`), so the
 * members speak the same unit whatever their models assume. The ensemble's p-value is the smallest
 * member p-value times the number of members (Bonferroni, so it stays a valid tail bound for the
 * family), and the score is `scoreFromPValue` of it. Members that are still warming up abstain;
 * the ensemble scores NaN until one member is calibrated.
 *
 * With one member, this is that detector with a calibrated score. The default members are the
 * seasonal detector, which compares a point with the same time of week, and CUSUM, which
 * accumulates small level shifts. Each is strong on different kinds of series.
 */
export interface EnsembleOptions {
  /** Equal bins of the score range [0, 1] in each member's calibration histogram. */
  calibrationBins: number;
  /** Scores each calibration keeps about (between this and twice this, by halving). */
  calibrationMemory: number;
  /** Scores a member must have produced before its calibrated score counts. */
  calibrationMinScores: number;
}

export const ENSEMBLE_DEFAULTS: EnsembleOptions = {
  calibrationBins: 1024,
  // Four weeks at one point every 5 minutes.
  calibrationMemory: 8064,
  calibrationMinScores: 100,
};

const NAME = 'anomaly.ensemble';

export class EnsembleDetector implements AnomalyDetector {
  readonly options: EnsembleOptions;
  private readonly calibrators: TailCalibrator[];
  /** Calibrated p-value of each member for the latest point; NaN where the member abstained. */
  readonly memberPValues: Float64Array;
  /** Ensemble p-value of the latest point, before the score mapping. */
  pValue = NaN;
  private reason: string | undefined = 'no points yet';

  constructor(
    readonly members: readonly AnomalyDetector[],
    options: Partial<EnsembleOptions> = {},
  ) {
    if (members.length === 0) {
      throw new Error(`${NAME}: members is empty; pass at least one detector`);
    }
    const d = ENSEMBLE_DEFAULTS;
    const o = options;
    this.options = {
      calibrationBins: integerOption(
        NAME,
        'calibrationBins',
        o.calibrationBins,
        d.calibrationBins,
        2,
      ),
      calibrationMemory: numberOption(
        NAME,
        'calibrationMemory',
        o.calibrationMemory,
        d.calibrationMemory,
        1,
      ),
      calibrationMinScores: integerOption(
        NAME,
        'calibrationMinScores',
        o.calibrationMinScores,
        d.calibrationMinScores,
        1,
      ),
    };
    const { calibrationBins, calibrationMemory, calibrationMinScores } = this.options;
    this.calibrators = members.map(
      () => new TailCalibrator(calibrationBins, calibrationMemory, calibrationMinScores),
    );
    this.memberPValues = new Float64Array(members.length).fill(NaN);
  }

  update(timestamp: number, value: number): number {
    if (!Number.isFinite(value)) {
      this.reason = NON_FINITE_REASON;
      return NaN;
    }

    let smallest = NaN;
    for (let i = 0; i < this.members.length; i += 1) {
      const score = this.members[i]!.update(timestamp, value);
      const calibrator = this.calibrators[i]!;
      const p = calibrator.pValue(score);
      calibrator.learn(score);
      this.memberPValues[i] = p;
      if (!(p >= smallest)) smallest = p;
    }

    if (Number.isNaN(smallest)) {
      this.pValue = NaN;
      this.reason = this.warmupReason();
      return NaN;
    }
    this.pValue = Math.min(1, smallest * this.members.length);
    this.reason = undefined;
    return scoreFromPValue(this.pValue);
  }

  status(): string | undefined {
    return this.reason;
  }

  stateBytes(): number {
    let bytes = this.memberPValues.length * 8 + 4 * 8;
    for (const member of this.members) bytes += member.stateBytes();
    for (const calibrator of this.calibrators) bytes += calibrator.byteLength();
    return bytes;
  }

  /** Warm-up reason of the first member without a score yet, else the calibration progress. */
  private warmupReason(): string {
    let largestWeight = 0;
    for (let i = 0; i < this.members.length; i += 1) {
      const calibrator = this.calibrators[i]!;
      const inner = this.members[i]!.status();
      if (inner !== undefined && calibrator.weight === 0) return inner;
      largestWeight = Math.max(largestWeight, calibrator.weight);
    }
    const { calibrationMinScores } = this.options;
    return `warming up: calibrating on ${largestWeight} of ${calibrationMinScores} member scores`;
  }
}

/** Default members: seasonal and CUSUM, each with its default options. */
export function defaultMembers(): AnomalyDetector[] {
  return [new SeasonalDetector(), new CusumDetector()];
}

export const ensembleDetector: AnomalyDetectorFactory<EnsembleOptions> = {
  name: NAME,
  create: (options) => new EnsembleDetector(defaultMembers(), options),
};
