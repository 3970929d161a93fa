/**
 * Cost of each streaming detector: points per second on one core with 10,000 series fed round
 * robin (one point per series per 5-minute step, as a rule evaluation does), and state bytes per
 * series from `stateBytes()`. The robust z-score window is measured through its rolling window,
 * which is its per-point work.
 *
 *   npm run bench -- detectors
 */

import { RollingRobustWindow } from '../appliance/evaluators/trend/rolling-robust-window.ts';
import { BurstDetector } from '../appliance/trend/detectors/burst.ts';
import { ContextualDetector } from '../appliance/trend/detectors/contextual.ts';
import { CusumDetector } from '../appliance/trend/detectors/cusum.ts';
import type { AnomalyDetector } from '../appliance/trend/detectors/detector.ts';
import { EwmaDetector } from '../appliance/trend/detectors/ewma.ts';
import { KmeansDetector } from '../appliance/trend/detectors/kmeans.ts';
import { SeasonalDetector } from '../appliance/trend/detectors/seasonal.ts';

const STEP_MS = 5 * 60_000;

/** Robust z-score per point as `anomaly.robust_zscore` computes it (1 day, 288 points). */
class RobustZscore implements AnomalyDetector {
  private readonly window = new RollingRobustWindow(288);
  update(timestamp: number, value: number): number {
    this.window.evictThrough(timestamp - 86_400_000);
    const z = this.window.count >= 30 ? this.window.robustZ(value, 1e-9) : NaN;
    this.window.push(timestamp, value);
    return z;
  }
  status(): undefined {
    return undefined;
  }
  stateBytes(): number {
    return 288 * 24;
  }
}

const detectors: Record<string, () => AnomalyDetector> = {
  robust_zscore: () => new RobustZscore(),
  kmeans: () => new KmeansDetector(),
  seasonal: () => new SeasonalDetector(),
  ewma: () => new EwmaDetector(),
  cusum: () => new CusumDetector(),
  burst: () => new BurstDetector(),
  contextual: () => new ContextualDetector(),
};

function measure(create: () => AnomalyDetector, seriesCount: number, steps: number) {
  const instances = Array.from({ length: seriesCount }, create);
  let state = 12345;
  let sink = 0;
  const start = process.hrtime.bigint();
  for (let step = 0; step < steps; step += 1) {
    const time = step * STEP_MS;
    for (let s = 0; s < seriesCount; s += 1) {
      state = (state * 48271) % 2147483647;
      const score = instances[s]!.update(time, 20 + (state % 11));
      if (score > 0.99) sink += 1;
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const bytes = instances[0]!.stateBytes();
  return { pointsPerSecond: (seriesCount * steps) / seconds, bytes, sink };
}

const SERIES = 10_000;
const STEPS = 200;

export async function run(): Promise<void> {
  console.log(`${SERIES} series, ${STEPS} points each (${(STEPS * 5) / 60} h at 5 min), one core`);
  console.log('detector        points/s   state bytes/series');
  for (const [name, create] of Object.entries(detectors)) {
    const { pointsPerSecond, bytes } = measure(create, SERIES, STEPS);
    const rate = Math.round(pointsPerSecond).toString().padStart(10);
    console.log(`${name.padEnd(14)} ${rate}   ${bytes}`);
    await Promise.resolve();
  }
}
