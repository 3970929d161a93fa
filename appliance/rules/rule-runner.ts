import type { AlertInstanceState } from '../alerting/alert.ts';
import type {
  EvaluationOutput,
  EvaluatorFactory,
  EvaluatorInstance,
} from '../evaluators/evaluator.ts';
import type { Logger } from '../log/logger.ts';
import type { GaugeSample, ResultGauges } from '../metrics/result-gauges.ts';
import type { VigilMetrics } from '../metrics/metrics.ts';
import type { Store, StoredResult } from '../store/store.ts';
import type { WindowReader } from '../window/window-reader.ts';
import { AlertEvaluation } from './alert-evaluation.ts';
import type { RecordingRule, Rule } from './model.ts';

/** Dependencies every rule of the engine shares. */
export interface RuleDependencies {
  store: Store;
  window: WindowReader;
  gauges: ResultGauges;
  metrics: VigilMetrics;
  logger: Logger;
  externalUrl: string;
}

/**
 * Runs one rule: its evaluator instance (created once, so detectors keep their state), the
 * stored results and gauges of its outputs, and then the recorded series or the alert states.
 */
export class RuleRunner {
  readonly rule: Rule;
  /** The alerting part; undefined for recording rules. */
  readonly alerting: AlertEvaluation | undefined;
  readonly #group: string;
  readonly #factory: EvaluatorFactory;
  readonly #instance: EvaluatorInstance;
  readonly #deps: RuleDependencies;
  readonly #sourceLabels: Record<string, string>;

  constructor(options: {
    rule: Rule;
    group: string;
    factory: EvaluatorFactory;
    deps: RuleDependencies;
    stored: readonly AlertInstanceState[];
  }) {
    const { rule, group, factory, deps } = options;
    this.rule = rule;
    this.#group = group;
    this.#factory = factory;
    this.#deps = deps;
    this.#instance = factory.create(rule.inputs);
    this.#sourceLabels = sourceLabels(rule);
    this.alerting =
      rule.kind === 'alert'
        ? new AlertEvaluation({ rule, group, ...deps, stored: options.stored })
        : undefined;
  }

  /**
   * Evaluates the rule at `time` over [time − windowMs, time). Returns false when it failed; the
   * failure is counted and logged, and an alerting rule's states stay as they were.
   */
  run(time: number): boolean {
    const { windowMs } = this.rule.inputs;
    const window = { from: time - windowMs, to: time };

    try {
      const outputs = this.#instance.evaluate({ time, window, data: this.#deps.window });
      this.#writeResults(time, outputs);
      this.#exportResults(outputs);
      if (this.rule.kind === 'record') this.#record(this.rule, time, outputs);
      else this.alerting?.apply(time, outputs);
      return true;
    } catch (error) {
      this.#deps.metrics.ruleEvaluationFailures.inc({ group: this.#group, rule: this.rule.name });
      this.#deps.logger.error(
        {
          group: this.#group,
          rule: this.rule.name,
          evaluator: this.rule.evaluator,
          time,
          err: error,
        },
        'rule evaluation failed',
      );
      return false;
    }
  }

  #writeResults(time: number, outputs: readonly EvaluationOutput[]): void {
    const results: StoredResult[] = outputs.map((output) => ({
      timestamp: time,
      rule: this.rule.name,
      group: this.#group,
      evaluator: this.rule.evaluator,
      labels: output.labels,
      values: output.values,
      convention: output.convention,
      ...(output.reason === undefined ? {} : { reason: output.reason }),
    }));
    this.#deps.store.writeResults(results);
  }

  /** Sets one gauge per output field the evaluator declares, labelled by rule and source. */
  #exportResults(outputs: readonly EvaluationOutput[]): void {
    for (const [field, spec] of Object.entries(this.#factory.outputs)) {
      const samples: GaugeSample[] = [];
      for (const output of outputs) {
        const value = output.values[field];
        if (value === undefined) continue;
        const labels = { ...output.labels, ...this.#sourceLabels, rule: this.rule.name };
        samples.push({ labels, value });
      }
      this.#deps.gauges.replace(spec.metric, spec.help, this.rule.name, samples);
    }
  }

  /**
   * Stores the recorded field as points named after the rule and exports it as a gauge of that
   * name. Labels are the output labels with the rule's labels on top, as in Prometheus.
   * NOTE: NaN and ±Inf values are exported on the gauge but not stored, because the store takes
   * finite points only.
   */
  #record(rule: RecordingRule, time: number, outputs: readonly EvaluationOutput[]): void {
    const samples: GaugeSample[] = [];
    for (const output of outputs) {
      const value = output.values[rule.field];
      if (value === undefined) continue;
      samples.push({ labels: { ...output.labels, ...rule.labels }, value });
    }

    const points = samples
      .filter((sample) => Number.isFinite(sample.value))
      .map((sample) => ({
        name: rule.name,
        labels: sample.labels,
        value: sample.value,
        timestamp: time,
      }));
    if (points.length > 0) this.#deps.store.insertPoints(points);

    const help = `Recorded by rule ${rule.name}: field ${rule.field} of evaluator ${rule.evaluator}.`;
    this.#deps.gauges.replace(rule.name, help, rule.name, samples);
  }
}

/** Returns the label of what the rule reads: `stream` for event evaluators, `series` for series. */
function sourceLabels(rule: Rule): Record<string, string> {
  if (rule.inputs.stream !== undefined) return { stream: rule.inputs.stream };
  if (rule.inputs.series !== undefined) return { series: rule.inputs.series.name };
  return {};
}
