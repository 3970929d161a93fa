import { Gauge, type Registry } from 'prom-client';

/** One labelset and value of a gauge. */
export interface GaugeSample {
  labels: Record<string, string>;
  value: number;
}

/** A gauge and the samples each rule set on it at its last evaluation. */
interface GaugeEntry {
  gauge: Gauge<string>;
  help: string;
  labelNames: Set<string>;
  samplesByRule: Map<string, Map<string, GaugeSample>>;
}

/**
 * Exports evaluator results and recorded series as prom-client gauges: one gauge per metric
 * name, shared by every rule that writes it. `replace` sets what one rule wrote at one
 * evaluation and removes that rule's labelsets that are gone.
 *
 * prom-client fixes a gauge's label names when it is created, but series evaluators add the
 * labels of the series they read, which are known only at evaluation. When a new label name
 * shows up, the gauge is created again with the union of the names and every sample is set anew.
 */
export class ResultGauges {
  readonly #registry: Registry;
  readonly #entries = new Map<string, GaugeEntry>();

  constructor(registry: Registry) {
    this.#registry = registry;
  }

  /** Replaces the samples `rule` has on gauge `metric` with `samples`. */
  replace(metric: string, help: string, rule: string, samples: readonly GaugeSample[]): void {
    const entry = this.#entry(metric, help);
    const previous = entry.samplesByRule.get(rule) ?? new Map<string, GaugeSample>();
    const next = new Map<string, GaugeSample>();
    for (const sample of samples) {
      const labels = sortedLabels(sample.labels);
      next.set(JSON.stringify(labels), { labels, value: sample.value });
    }

    if (this.#hasNewLabelNames(entry, samples)) {
      entry.samplesByRule.set(rule, next);
      this.#recreate(metric, entry);
      return;
    }

    for (const [key, sample] of previous) {
      if (!next.has(key)) entry.gauge.remove(sample.labels);
    }
    for (const sample of next.values()) entry.gauge.set(sample.labels, sample.value);
    entry.samplesByRule.set(rule, next);
  }

  #entry(metric: string, help: string): GaugeEntry {
    let entry = this.#entries.get(metric);
    if (entry === undefined) {
      const labelNames = new Set<string>();
      entry = {
        gauge: this.#createGauge(metric, help, labelNames),
        help,
        labelNames,
        samplesByRule: new Map(),
      };
      this.#entries.set(metric, entry);
    }
    return entry;
  }

  #hasNewLabelNames(entry: GaugeEntry, samples: readonly GaugeSample[]): boolean {
    let added = false;
    for (const sample of samples) {
      for (const name of Object.keys(sample.labels)) {
        if (entry.labelNames.has(name)) continue;
        entry.labelNames.add(name);
        added = true;
      }
    }
    return added;
  }

  #recreate(metric: string, entry: GaugeEntry): void {
    this.#registry.removeSingleMetric(metric);
    entry.gauge = this.#createGauge(metric, entry.help, entry.labelNames);
    for (const samples of entry.samplesByRule.values()) {
      for (const sample of samples.values()) entry.gauge.set(sample.labels, sample.value);
    }
  }

  #createGauge(metric: string, help: string, labelNames: ReadonlySet<string>): Gauge<string> {
    return new Gauge({
      name: metric,
      help,
      labelNames: [...labelNames].sort(),
      registers: [this.#registry],
    });
  }
}

/** Copies labels with names in code-point order, so the exposition lists them sorted. */
function sortedLabels(labels: Record<string, string>): Record<string, string> {
  const sorted: Record<string, string> = {};
  for (const name of Object.keys(labels).sort()) sorted[name] = labels[name] as string;
  return sorted;
}
