// Grafana's built-in time variables for one panel request, as the panel query checks substitute
// them. Times are epoch milliseconds.

export interface TimeRange {
  from: number;
  to: number;
}

// Interval steps that a computed `$__interval` is rounded up to.
// NOTE: Grafana's own rounding (rangeutil.roundInterval) snaps to a similar list by thresholds,
// so a value here can be one step above the one Grafana picks. The checks only need a valid step.
const steps: ReadonlyArray<[number, string]> = [
  [1_000, '1s'],
  [2_000, '2s'],
  [5_000, '5s'],
  [10_000, '10s'],
  [15_000, '15s'],
  [20_000, '20s'],
  [30_000, '30s'],
  [60_000, '1m'],
  [120_000, '2m'],
  [300_000, '5m'],
  [600_000, '10m'],
  [900_000, '15m'],
  [1_800_000, '30m'],
  [3_600_000, '1h'],
  [10_800_000, '3h'],
  [21_600_000, '6h'],
  [43_200_000, '12h'],
  [86_400_000, '1d'],
  [604_800_000, '7d'],
  [2_592_000_000, '30d'],
];

export interface GrafanaIntervals {
  // `$__interval`, for example `1m`.
  interval: string;
  intervalMs: number;
  // `$__range` in seconds, for example `21600s`.
  range: string;
  // `$__rate_interval` of Grafana's Prometheus datasource.
  rateInterval: string;
}

/**
 * Computes the interval variables of a panel request. `$__interval` is the range divided by
 * `maxDataPoints`, rounded up to a step and at least `minIntervalMs` (the datasource's
 * `timeInterval`, which is also the scrape interval). `$__rate_interval` is
 * max(`$__interval` + scrape interval, 4 × scrape interval), as Grafana's Prometheus docs state.
 */
export function grafanaIntervals(
  range: TimeRange,
  minIntervalMs: number,
  maxDataPoints = 1000,
): GrafanaIntervals {
  const raw = Math.max((range.to - range.from) / maxDataPoints, minIntervalMs);
  const step = steps.find(([ms]) => ms >= raw) ?? steps[steps.length - 1]!;
  const [intervalMs, interval] = step;

  const rateMs = Math.max(intervalMs + minIntervalMs, 4 * minIntervalMs);
  return {
    interval,
    intervalMs,
    range: `${Math.round((range.to - range.from) / 1000)}s`,
    rateInterval: `${Math.round(rateMs / 1000)}s`,
  };
}
