/**
 * Drift at scale: 20 numeric features, 1M reference and 1M current rows each. Measures exact
 * KS per feature against a naive sort-and-scan baseline in the same run, the sketch update
 * cost per value, the sketch-based evaluation of all 20 features (KS and Wasserstein), and
 * the serialised state per feature-window.
 */
import { ColumnProfile } from '../appliance/sketch/column-profile.ts';
import { sketchDrift } from '../appliance/sketch/sketch-drift.ts';
import { ksTwoSample } from '../appliance/stats/ks.ts';

const FEATURES = 20;
const ROWS = 1_000_000;
const BASELINE_FEATURES = 5;

// Deterministic normal values (Box-Muller over a linear congruential generator).
function normals(n: number, seed: number, shift: number): Float64Array {
  let state = seed;
  const uniform = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return (state + 1) / 2147483649;
  };
  return Float64Array.from({ length: n }, () => {
    const radius = Math.sqrt(-2 * Math.log(uniform()));
    return shift + radius * Math.cos(2 * Math.PI * uniform());
  });
}

// Baseline: generic array sort with a comparator, then a scan of both sorted arrays.
function naiveKs(reference: Float64Array, current: Float64Array): number {
  const a = Array.from(reference).sort((x, y) => x - y);
  const b = Array.from(current).sort((x, y) => x - y);
  let i = 0;
  let j = 0;
  let statistic = 0;
  while (i < a.length && j < b.length) {
    const value = Math.min(a[i]!, b[j]!);
    while (i < a.length && a[i] === value) i += 1;
    while (j < b.length && b[j] === value) j += 1;
    statistic = Math.max(statistic, Math.abs(i / a.length - j / b.length));
  }
  return statistic;
}

function time<T>(run: () => T): { result: T; ms: number } {
  const start = performance.now();
  const result = run();
  return { result, ms: performance.now() - start };
}

export async function run(): Promise<void> {
  const features = Array.from({ length: FEATURES }, (_, f) => ({
    reference: normals(ROWS, 1000 + f, 0),
    current: normals(ROWS, 5000 + f, f % 4 === 0 ? 0.05 : 0),
  }));

  let exactMs = 0;
  for (const { reference, current } of features) {
    exactMs += time(() =>
      ksTwoSample(reference as unknown as number[], current as unknown as number[]),
    ).ms;
  }
  let naiveMs = 0;
  for (const { reference, current } of features.slice(0, BASELINE_FEATURES)) {
    naiveMs += time(() => naiveKs(reference, current)).ms;
  }
  const exactPerFeature = exactMs / FEATURES;
  const naivePerFeature = naiveMs / BASELINE_FEATURES;
  console.log(`exact KS per feature (1M vs 1M): ${exactPerFeature.toFixed(1)} ms`);
  console.log(
    `naive sort-and-scan KS per feature: ${naivePerFeature.toFixed(1)} ms (${BASELINE_FEATURES} features)`,
  );
  console.log(`ratio naive / exact: ${(naivePerFeature / exactPerFeature).toFixed(2)}`);

  const profiles = time(() =>
    features.map(({ reference, current }) => {
      const a = new ColumnProfile();
      const b = new ColumnProfile();
      for (const value of reference) a.addNumber(value);
      for (const value of current) b.addNumber(value);
      return { a, b };
    }),
  );
  const values = FEATURES * ROWS * 2;
  console.log(`sketch update: ${((profiles.ms * 1e6) / values).toFixed(1)} ns per value`);

  const evaluation = time(() =>
    profiles.result.map(({ a, b }) => [
      sketchDrift('ks', a, b, false),
      sketchDrift('wasserstein', a, b, false),
    ]),
  );
  console.log(
    `sketch evaluation of ${FEATURES} features (KS and Wasserstein): ${evaluation.ms.toFixed(1)} ms`,
  );

  const bytes = profiles.result.map(({ b }) => b.toBytes().length);
  console.log(`state per feature-window: max ${Math.max(...bytes)} bytes serialised`);

  const exactD = ksTwoSample(
    features[0]!.reference as unknown as number[],
    features[0]!.current as unknown as number[],
  ).statistic;
  const sketchD = evaluation.result[0]![0]!.statistic;
  console.log(`feature 0 KS D: exact ${exactD.toFixed(5)}, sketch ${sketchD.toFixed(5)}`);
}
