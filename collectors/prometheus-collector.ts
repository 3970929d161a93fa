import { RE2JS } from 're2js';

import type { BackoffOptions } from './backoff.ts';
import { submitOrThrow, type CollectorContext } from './collector.ts';
import { PollingCollector } from './polling-collector.ts';
import { ScrapeDeriver, type WirePoint } from './prometheus-derive.ts';
import { parseExposition, type MetricFamily } from './prometheus-parser.ts';

/** Keeps or drops samples whose name and every listed label match anchored regular expressions. */
export interface SampleMatcher {
  name?: string;
  labels?: Record<string, string>;
}

export interface PrometheusCollectorOptions {
  name: string;
  /** Metrics URLs, such as `http://127.0.0.1:8000/metrics`. */
  targets: string[];
  intervalMs: number;
  /** Time a scrape may take before the target counts as down, in milliseconds. */
  timeoutMs: number;
  /** Samples kept; empty keeps every sample. */
  keep?: SampleMatcher[];
  /** Samples dropped after `keep`. */
  drop?: SampleMatcher[];
  backoff?: BackoffOptions;
}

/** The outcome of a target's last scrape. */
export interface TargetStatus {
  url: string;
  up: boolean;
  /** Failure reason, null when the scrape succeeded. */
  reason: string | null;
  durationSeconds: number;
}

interface CompiledMatcher {
  name?: RE2JS;
  labels: [string, RE2JS][];
}

const ACCEPT = 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5';

/**
 * Scrapes Prometheus targets at an interval and stores their samples, counter rates and
 * histogram quantiles as points labelled `job` (the collector name) and `instance` (host:port).
 * Each scrape also stores `up` (1 or 0) and `scrape_duration_seconds` per target, as Prometheus
 * does. A failed scrape is not retried early; only a failed store write triggers the backoff.
 */
export class PrometheusCollector extends PollingCollector {
  readonly kind = 'prometheus';
  private readonly derivers = new Map<string, ScrapeDeriver>();
  private readonly status = new Map<string, TargetStatus>();
  private readonly keep: CompiledMatcher[];
  private readonly drop: CompiledMatcher[];

  constructor(
    private readonly options: PrometheusCollectorOptions,
    private readonly context: CollectorContext,
  ) {
    super(options, context);
    this.keep = (options.keep ?? []).map(compileMatcher);
    this.drop = (options.drop ?? []).map(compileMatcher);
  }

  protected step(): Promise<void> {
    return this.scrapeAll();
  }

  protected override startDetails(): Record<string, unknown> {
    return { targets: this.options.targets };
  }

  targets(): TargetStatus[] {
    return [...this.status.values()].map((status) => ({ ...status }));
  }

  /** Scrapes every target once and commits their points. */
  async scrapeAll(): Promise<void> {
    const now = (this.context.now ?? Date.now)();
    const perTarget = await Promise.all(
      this.options.targets.map((url) => this.scrapeTarget(url, now)),
    );
    const points = perTarget.flat();
    this.context.metrics.received.inc({ collector: this.name }, points.length);

    const result = await submitOrThrow(this.context.ingest, 'points', points);
    for (const rejection of result.rejected) {
      this.context.metrics.rejected.inc({ collector: this.name, reason: rejection.code });
    }
    const committed = (this.context.now ?? Date.now)();
    this.context.metrics.lag.set({ collector: this.name }, (committed - now) / 1000);
  }

  private async scrapeTarget(url: string, now: number): Promise<WirePoint[]> {
    const base = { job: this.name, instance: new URL(url).host };
    const started = performance.now();
    let families: MetricFamily[] = [];
    let reason: string | null = null;
    try {
      families = await this.fetchFamilies(url);
    } catch (error) {
      reason = describeFailure(error, this.options.timeoutMs);
    }
    const durationSeconds = (performance.now() - started) / 1000;

    this.status.set(url, { url, up: reason === null, reason, durationSeconds });
    if (reason !== null) this.logger.warn({ target: url, reason }, 'scrape failed');
    const health: WirePoint[] = [
      { name: 'up', labels: { ...base }, value: reason === null ? 1 : 0, timestamp: now },
      {
        name: 'scrape_duration_seconds',
        labels: { ...base },
        value: durationSeconds,
        timestamp: now,
      },
    ];
    if (reason !== null) return health;

    const deriver = this.derivers.get(url) ?? new ScrapeDeriver();
    this.derivers.set(url, deriver);
    return [...health, ...deriver.derive(this.filter(families), now, base)];
  }

  private async fetchFamilies(url: string): Promise<MetricFamily[]> {
    const response = await fetch(url, {
      headers: { accept: ACCEPT },
      signal: AbortSignal.timeout(this.options.timeoutMs),
    });
    const body = await response.text();
    if (!response.ok) throw new Error(`HTTP status ${response.status}; expected 200`);

    const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const openMetrics = type === 'application/openmetrics-text';
    if (!openMetrics && type !== 'text/plain' && type !== '') {
      throw new Error(
        `unexpected content type "${type}"; point the target at a Prometheus metrics endpoint`,
      );
    }
    return parseExposition(body, openMetrics);
  }

  private filter(families: MetricFamily[]): MetricFamily[] {
    if (this.keep.length === 0 && this.drop.length === 0) return families;
    return families.map((family) => ({
      ...family,
      samples: family.samples.filter((sample) => {
        const names = [family.name, sample.name];
        const kept =
          this.keep.length === 0 ||
          this.keep.some((matcher) => matches(matcher, names, sample.labels));
        return kept && !this.drop.some((matcher) => matches(matcher, names, sample.labels));
      }),
    }));
  }
}

/**
 * Compiles a matcher, anchored and in RE2 syntax like Prometheus' relabelling regexes, so a
 * target's label values match in linear time. Throws with the bad expression when one is invalid.
 */
export function compileMatcher(matcher: SampleMatcher): CompiledMatcher {
  const compile = (source: string) => {
    try {
      return RE2JS.compile(`^(?:${source})$`);
    } catch (error) {
      throw new Error(
        `invalid regular expression ${JSON.stringify(source)}: ${(error as Error).message}`,
      );
    }
  };
  const compiled: CompiledMatcher = {
    labels: Object.entries(matcher.labels ?? {}).map(([label, source]) => [label, compile(source)]),
  };
  if (matcher.name !== undefined) compiled.name = compile(matcher.name);
  return compiled;
}

function matches(
  matcher: CompiledMatcher,
  names: readonly string[],
  labels: Record<string, string>,
): boolean {
  if (matcher.name !== undefined && !names.some((name) => matcher.name!.test(name))) return false;
  return matcher.labels.every(([label, pattern]) => pattern.test(labels[label] ?? ''));
}

function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `scrape timed out after ${timeoutMs} ms; raise timeout or check the target`;
  }
  if (error instanceof Error) {
    const cause = (error.cause as Error | undefined)?.message;
    return cause === undefined ? error.message : `${error.message}: ${cause}`;
  }
  return String(error);
}
