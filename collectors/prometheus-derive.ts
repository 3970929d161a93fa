import type { MetricFamily, Sample } from './prometheus-parser.ts';

/** A point in the ingest wire schema. */
export interface WirePoint {
  name: string;
  labels: Record<string, string>;
  value: number;
  timestamp: number;
}

/** Quantiles computed from each histogram, with the suffix of their series name. */
export const histogramQuantiles: readonly { q: number; suffix: string }[] = [
  { q: 0.5, suffix: 'p50' },
  { q: 0.95, suffix: 'p95' },
  { q: 0.99, suffix: 'p99' },
];

interface Previous {
  value: number;
  timeMs: number;
}

/**
 * Turns the families of successive scrapes of one target into points. Gauges, untyped values
 * and summaries pass through. Each counter also yields `<name>:rate`, its increase per second
 * since the previous scrape. A value below the previous one is a reset, and the increase is
 * then the new value, as Prometheus' `rate()` counts it. Each histogram yields `<name>_sum`,
 * `<name>_count`, their rates, and `<name>:p50|p95|p99` over the observations since the
 * previous scrape, interpolated inside buckets as Prometheus' `histogram_quantile()` does.
 */
export class ScrapeDeriver {
  private readonly previous = new Map<string, Previous>();

  derive(
    families: readonly MetricFamily[],
    nowMs: number,
    base: Record<string, string>,
  ): WirePoint[] {
    const points: WirePoint[] = [];
    const seen = new Set<string>();
    for (const family of families) {
      if (family.type === 'counter') this.counter(family.samples, nowMs, base, points, seen);
      else if (family.type === 'histogram') this.histogram(family, nowMs, base, points, seen);
      else
        for (const sample of family.samples)
          push(points, sample.name, { ...sample.labels, ...base }, sample.value, nowMs);
    }
    for (const key of this.previous.keys()) if (!seen.has(key)) this.previous.delete(key);
    return points;
  }

  private counter(
    samples: readonly Sample[],
    nowMs: number,
    base: Record<string, string>,
    points: WirePoint[],
    seen: Set<string>,
  ): void {
    for (const sample of samples) {
      if (sample.name.endsWith('_created')) continue;
      const labels = { ...sample.labels, ...base };
      push(points, sample.name, labels, sample.value, nowMs);
      const rate = this.rate(seriesKey(sample.name, sample.labels), sample.value, nowMs, seen);
      if (rate !== null) push(points, `${sample.name}:rate`, labels, rate, nowMs);
    }
  }

  /** Returns the per-second increase since the previous scrape, null on the first one. */
  private rate(key: string, value: number, nowMs: number, seen: Set<string>): number | null {
    seen.add(key);
    const before = this.previous.get(key);
    this.previous.set(key, { value, timeMs: nowMs });
    if (before === undefined || nowMs <= before.timeMs) return null;
    return increase(before.value, value) / ((nowMs - before.timeMs) / 1000);
  }

  private histogram(
    family: MetricFamily,
    nowMs: number,
    base: Record<string, string>,
    points: WirePoint[],
    seen: Set<string>,
  ): void {
    const groups = new Map<
      string,
      { labels: Record<string, string>; buckets: { le: number; count: number }[] }
    >();
    const counters: Sample[] = [];
    for (const sample of family.samples) {
      if (sample.name === `${family.name}_bucket`) {
        const { le, ...labels } = sample.labels;
        const key = seriesKey(family.name, labels);
        const group = groups.get(key) ?? { labels, buckets: [] };
        group.buckets.push({ le: le === '+Inf' ? Infinity : Number(le), count: sample.value });
        groups.set(key, group);
      } else if (!sample.name.endsWith('_created')) {
        counters.push(sample);
      }
    }
    this.counter(counters, nowMs, base, points, seen);

    for (const [key, group] of groups) {
      const deltas = this.bucketDeltas(key, group.buckets, nowMs, seen);
      if (deltas === null) continue;
      for (const { q, suffix } of histogramQuantiles) {
        const value = bucketQuantile(q, deltas);
        if (value !== null)
          push(points, `${family.name}:${suffix}`, { ...group.labels, ...base }, value, nowMs);
      }
    }
  }

  /** Returns each bucket's increase since the previous scrape, null on the first one. */
  private bucketDeltas(
    key: string,
    buckets: { le: number; count: number }[],
    nowMs: number,
    seen: Set<string>,
  ) {
    buckets.sort((a, b) => a.le - b.le);
    const before = buckets.map((bucket) => this.previous.get(`${key}|${bucket.le}`));
    for (const bucket of buckets) {
      seen.add(`${key}|${bucket.le}`);
      this.previous.set(`${key}|${bucket.le}`, { value: bucket.count, timeMs: nowMs });
    }
    if (before.some((entry) => entry === undefined)) return null;
    // A reset of any bucket means the target restarted, so every bucket counts from zero.
    const reset = buckets.some((bucket, index) => bucket.count < before[index]!.value);
    return buckets.map((bucket, index) => ({
      le: bucket.le,
      count: reset ? bucket.count : bucket.count - before[index]!.value,
    }));
  }
}

/** Counter increase between two readings, treating a decrease as a reset to zero. */
export function increase(before: number, after: number): number {
  return after >= before ? after - before : after;
}

/**
 * Computes quantile `q` of cumulative buckets sorted by upper bound, as Prometheus'
 * `histogram_quantile` does. It interpolates linearly inside the bucket that contains rank
 * q * total, with 0 as the lower bound of the first bucket. A rank in the `+Inf` bucket gives
 * the highest finite bound. Returns null when the buckets contain no observation.
 */
export function bucketQuantile(
  q: number,
  buckets: readonly { le: number; count: number }[],
): number | null {
  const total = buckets[buckets.length - 1]?.count ?? 0;
  if (total <= 0) return null;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const bucket of buckets) {
    if (bucket.count >= rank) {
      if (bucket.le === Infinity) return lowerBound;
      if (bucket.count === lowerCount) return bucket.le;
      return (
        lowerBound + ((bucket.le - lowerBound) * (rank - lowerCount)) / (bucket.count - lowerCount)
      );
    }
    lowerBound = bucket.le;
    lowerCount = bucket.count;
  }
  return lowerBound;
}

function push(
  points: WirePoint[],
  name: string,
  labels: Record<string, string>,
  value: number,
  timestamp: number,
): void {
  if (Number.isFinite(value)) points.push({ name, labels, value, timestamp });
}

function seriesKey(name: string, labels: Record<string, string>): string {
  const sorted = Object.keys(labels)
    .sort()
    .map((key) => [key, labels[key]]);
  return `${name}${JSON.stringify(sorted)}`;
}
