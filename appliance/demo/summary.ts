import type { AlertHistoryEntry } from '../alerting/alert.ts';
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
