import type { AlertHistoryEntry } from '../alerting/alert.ts';
import type { SeriesSamples } from '../store/store.ts';
import type { NabSeries } from './nab-data.ts';

export interface RuleSummary {
  rule: string;
  firings: number;
  instances: number;
  firstFiring: number;
}

/** Counts firing transitions per rule, with the first firing time, from the alert history. */
export function summariseRules(history: readonly AlertHistoryEntry[]): RuleSummary[] {
  const byRule = new Map<string, { firings: number; keys: Set<string>; first: number }>();
  for (const entry of history) {
    if (entry.transition !== 'firing') continue;
    const summary = byRule.get(entry.rule) ?? { firings: 0, keys: new Set(), first: Infinity };
    summary.firings++;
    summary.keys.add(entry.key);
    summary.first = Math.min(summary.first, entry.timestamp);
    byRule.set(entry.rule, summary);
  }
  return [...byRule]
    .map(([rule, s]) => ({
      rule,
      firings: s.firings,
      instances: s.keys.size,
      firstFiring: s.first,
    }))
    .sort((a, b) => a.firstFiring - b.firstFiring);
}

export interface WindowCoverage {
  windows: number;
  detected: number;
  /** Firings of the rule that started outside every labelled window. */
  firingsOutside: number;
}

/**
 * Counts the labelled anomaly windows in which the rule fired for the window's ticker, as NAB
 * counts a detection: a firing that starts inside [start, end] of the window.
 */
export function coverNabWindows(
  history: readonly AlertHistoryEntry[],
  rule: string,
  series: readonly NabSeries[],
  tickerOf: (file: string) => string,
): WindowCoverage {
  const firings = history.filter((entry) => entry.rule === rule && entry.transition === 'firing');
  let windows = 0;
  let detected = 0;
  let inside = 0;

  for (const file of series) {
    const ticker = tickerOf(file.file);
    const times = firings.filter((entry) => entry.labels.ticker === ticker).map((e) => e.timestamp);
    for (const window of file.windows) {
      windows++;
      const hits = times.filter((time) => time >= window.start && time <= window.end).length;
      if (hits > 0) detected++;
      inside += hits;
    }
  }
  return { windows, detected, firingsOutside: firings.length - inside };
}

export function formatTime(time: number): string {
  return Number.isFinite(time) ? new Date(time).toISOString().replace('.000Z', 'Z') : '-';
}

export interface ScrapeSummary {
  /** Scrapes of the target, each stored as one `up` point. */
  scrapes: number;
  /** Scrapes that succeeded (`up` = 1). */
  up: number;
  /** Median of the scraped p95 latencies outside the slowdown, in seconds. */
  medianP95: number;
  /** Median of the scraped p95 latencies inside the slowdown, in seconds. */
  medianP95During: number;
}

/** Counts scrapes and compares the scraped p95 latency outside and inside a slowdown. */
export function scrapeSummary(input: {
  up: readonly SeriesSamples[];
  p95: readonly SeriesSamples[];
  slowdown: { from: number; to: number };
}): ScrapeSummary {
  const upValues = input.up.flatMap((series) => series.values);
  const outside: number[] = [];
  const during: number[] = [];
  for (const series of input.p95) {
    series.timestamps.forEach((time, index) => {
      const inside = time >= input.slowdown.from && time < input.slowdown.to;
      (inside ? during : outside).push(series.values[index]!);
    });
  }

  return {
    scrapes: upValues.length,
    up: upValues.filter((value) => value === 1).length,
    medianP95: median(outside),
    medianP95During: median(during),
  };
}

function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const half = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[half]! : (sorted[half - 1]! + sorted[half]!) / 2;
}

/** Returns the times of the rule's firing transitions that started within [from, to]. */
export function firingsWithin(
  history: readonly AlertHistoryEntry[],
  rule: string,
  range: { from: number; to: number },
): number[] {
  return history
    .filter((entry) => entry.rule === rule && entry.transition === 'firing')
    .map((entry) => entry.timestamp)
    .filter((time) => time >= range.from && time <= range.to)
    .sort((a, b) => a - b);
}
