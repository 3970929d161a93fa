import { CONTEXT_TABLE_WAYS, ContextTable } from './context-table.ts';
import type { AnomalyDetector, AnomalyDetectorFactory } from './detector.ts';
import { NON_FINITE_REASON } from './detector.ts';
import { integerOption, numberOption } from './options.ts';
import { RelativeEntropyDetector } from './relative-entropy.ts';

/**
 * Contextual novelty detector in the manner of CAD OSE (Contextual Anomaly Detector, Open
 * Source Edition, by M. Smirnov), which scores how new the current context of quantised values
 * is among the contexts learned so far. Each value is quantised against the range seen
 * before it: `levels` equal bins between the minimum and the maximum, plus one level below and
 * one above the range. The context of a point of order d is the sequence of the d previous
 * levels followed by its own. The detector remembers the contexts it has seen, and a point is as
 * anomalous as the share of its contexts, of orders 0 to `maxOrder`, that are new. A context
 * counts as new when any shorter context ending at the same point is new, so a level never seen
 * scores 1 and a known level after a new transition scores maxOrder / (maxOrder + 1). After a
 * new level the context restarts empty, because every context that contains the new level
 * would be new and echo the anomaly for `maxOrder` points.
 *
 * `grids` quantisations, each offset by 1 / grids of a bin, score side by side, and the novelty
 * is their mean, so a value near a bin edge does not flip it. The score is the weighted mean of
 * that novelty and the score of a `RelativeEntropyDetector` with its defaults, which is 1 when
 * the last 52 values form a histogram unlike every histogram learned (`entropyWeight` 0.5,
 * 0 turns it off). The contexts catch a new sequence and the histogram a new distribution,
 * such as a level shift into a known range. Timestamps are not used, because the
 * detector reads the sequence of points: duplicate timestamps, a step back in time and gaps are
 * all just the next point. A non-finite value is skipped and leaves the state as it was.
 *
 * State: per grid a context table of `capacity` slots (8 bytes each) and `maxOrder` levels, and
 * 2.5 KB for the histograms, so the default 4 grids of 1024 slots keep about 35 KB a series.
 * When a table is full, a new context evicts the least recently seen one of its 4-slot set,
 * which also lets the detector forget old behaviour.
 *
 * The NAB bench scores the defaults on 34 files, behind its 24 h hold-off. Standard /
 * reward_low_FP_rate / reward_low_FN_rate: realAWSCloudwatch 65.32 / 58.09 / 70.41,
 * realKnownCause 47.92 / 35.24 / 57.71, realTweets 66.93 / 59.26 / 74.14, overall
 * 61.94 / 53.26 / 68.97, from
 * `node --import tsx bench/nab/main.ts --detectors contextual`. NOTE: the defaults were picked
 * from about 80 settings scored on these same files, so the figures overstate a little what
 * the detector scores on unseen series.
 */
export interface ContextualOptions {
  /** Quantisation levels inside the range seen so far, per grid, from 2 to 253. */
  levels: number;
  /** Quantisation grids, offset from each other by a fraction of a bin. */
  grids: number;
  /** Maximum context order: the number of previous levels before the current one. */
  maxOrder: number;
  /** Context table slots per grid, a multiple of 4. */
  capacity: number;
  /** Points learned before the first score. */
  warmupPoints: number;
  /** Weight in [0, 1] of the relative-entropy score in the mean with the contextual score. */
  entropyWeight: number;
}

export const CONTEXTUAL_DEFAULTS: ContextualOptions = {
  levels: 8,
  grids: 4,
  maxOrder: 4,
  capacity: 1024,
  warmupPoints: 100,
  entropyWeight: 0.5,
};

const NAME = 'anomaly.contextual';

/** One quantisation grid: its offset, the latest levels and the contexts it has seen. */
interface Grid {
  offset: number;
  /** Levels of the previous points, the latest at index 0. */
  history: Uint8Array;
  /** Levels in `history` that are filled. */
  filled: number;
  table: ContextTable;
}

export class ContextualDetector implements AnomalyDetector {
  readonly options: ContextualOptions;
  private readonly grids: Grid[] = [];
  /** Window novelty half of the score, absent when `entropyWeight` is 0. */
  private readonly entropy: RelativeEntropyDetector | undefined;
  private min = Infinity;
  private max = -Infinity;
  private count = 0;
  /**
   * Level of the latest point on the first grid: 0 below the range seen before it, 1 to `levels`
   * inside it, `levels` + 1 above it.
   */
  level = NaN;
  /** Share of new contexts of the latest point, averaged over the grids. */
  novelty = NaN;
  /** Relative-entropy score of the latest window: 1 when it matched no learned histogram. */
  windowNovel = NaN;
  private reason: string | undefined = 'no points yet';

  constructor(options: Partial<ContextualOptions> = {}) {
    this.options = parseOptions(options);
    const { grids, maxOrder, capacity, entropyWeight } = this.options;
    this.entropy = entropyWeight > 0 ? new RelativeEntropyDetector() : undefined;
    for (let index = 0; index < grids; index += 1) {
      this.grids.push({
        offset: index / grids,
        history: new Uint8Array(maxOrder),
        filled: 0,
        table: new ContextTable(capacity),
      });
    }
  }

  update(timestamp: number, value: number): number {
    if (!Number.isFinite(value)) {
      this.reason = NON_FINITE_REASON;
      return NaN;
    }

    this.count += 1;
    if (this.count === 1) {
      this.min = value;
      this.max = value;
    }

    let novelty = 0;
    for (const grid of this.grids) novelty += this.learn(grid, this.quantise(value, grid.offset));
    this.level = this.quantise(value, 0);
    this.min = Math.min(this.min, value);
    this.max = Math.max(this.max, value);
    const entropyScore = this.entropy?.update(timestamp, value) ?? NaN;

    const { warmupPoints, entropyWeight } = this.options;
    if (this.count <= warmupPoints) {
      this.reason = `warming up: ${this.count} of ${warmupPoints} points`;
      return NaN;
    }
    this.reason = undefined;
    this.novelty = novelty / this.grids.length;
    this.windowNovel = entropyScore;
    if (Number.isNaN(entropyScore)) return this.novelty;
    return (1 - entropyWeight) * this.novelty + entropyWeight * entropyScore;
  }

  status(): string | undefined {
    return this.reason;
  }

  stateBytes(): number {
    const { maxOrder, capacity, grids } = this.options;
    const entropyBytes = this.entropy?.stateBytes() ?? 0;
    return grids * (capacity * 8 + maxOrder + 4 * 8) + 8 * 8 + entropyBytes;
  }

  /**
   * Level of `value` against the range seen before it: 0 below, `levels` + 1 above, and in
   * between one of `levels` equal bins over [min, max], shifted by `offset` of a bin. A value
   * equal to a constant series is level 1.
   */
  private quantise(value: number, offset: number): number {
    // NOTE: the range never shrinks, so one extreme value squeezes every later value into fewer
    // levels. A range decaying toward the mean scored lower on NAB in an early version.
    const { levels } = this.options;
    if (value > this.max) return levels + 1;
    if (value < this.min) return 0;

    const span = this.max - this.min;
    if (!(span > 0)) return 1;
    const bin = Math.floor((levels * (value - this.min)) / span + offset);
    return Math.min(levels, Math.max(1, bin + 1));
  }

  /**
   * Scores the contexts ending in `level` on one grid as the share of orders that are new, then
   * stores them all and shifts `level` into the history. A new level empties the history instead.
   */
  private learn(grid: Grid, level: number): number {
    const base = this.options.levels + 3;
    const orders = grid.filled + 1;
    let key = level + 1;
    let knownOrders = 0;
    let chainKnown = true;

    for (let order = 0; order < orders; order += 1) {
      if (order > 0) key = key * base + grid.history[order - 1]! + 1;
      const seen = grid.table.touch(key);
      chainKnown = chainKnown && seen;
      if (chainKnown) knownOrders += 1;
    }

    grid.history.copyWithin(1, 0);
    grid.history[0] = level;
    grid.filled = knownOrders === 0 ? 0 : Math.min(grid.filled + 1, grid.history.length);
    return (orders - knownOrders) / orders;
  }
}

function parseOptions(options: Partial<ContextualOptions>): ContextualOptions {
  const d = CONTEXTUAL_DEFAULTS;
  const parsed: ContextualOptions = {
    levels: integerOption(NAME, 'levels', options.levels, d.levels, 2),
    grids: integerOption(NAME, 'grids', options.grids, d.grids, 1),
    maxOrder: integerOption(NAME, 'maxOrder', options.maxOrder, d.maxOrder, 0),
    capacity: integerOption(NAME, 'capacity', options.capacity, d.capacity, CONTEXT_TABLE_WAYS),
    warmupPoints: integerOption(NAME, 'warmupPoints', options.warmupPoints, d.warmupPoints, 1),
    entropyWeight: numberOption(
      NAME,
      'entropyWeight',
      options.entropyWeight,
      d.entropyWeight,
      0,
      1,
    ),
  };
  const { levels, maxOrder, capacity } = parsed;

  if (levels > 253) {
    throw new Error(`${NAME}: option levels is invalid (got ${levels}); use at most 253`);
  }
  if (capacity % CONTEXT_TABLE_WAYS !== 0) {
    throw new Error(
      `${NAME}: option capacity is invalid (got ${capacity}); ` +
        `use a multiple of ${CONTEXT_TABLE_WAYS}`,
    );
  }
  // Keys are the levels + 1 of a context as digits in base levels + 3, and must fit in 32 bits.
  if ((levels + 3) ** (maxOrder + 1) > 2 ** 32) {
    throw new Error(
      `${NAME}: options levels ${levels} and maxOrder ${maxOrder} give contexts too long for ` +
        '32-bit keys; lower either, so that (levels + 3) ^ (maxOrder + 1) is at most 2^32',
    );
  }
  return parsed;
}

export const contextualDetector: AnomalyDetectorFactory<ContextualOptions> = {
  name: NAME,
  create: (options) => new ContextualDetector(options),
};
