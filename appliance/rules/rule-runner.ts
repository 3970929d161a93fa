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
  /** Directory for stored reference profiles, passed to evaluators as `profileDirectory`. */
  profileDirectory?: string;
}

/** Health of a rule after its last evaluation, as `GET /api/v1/rules` lists it. */
export interface RuleHealth {
  health: 'unknown' | 'ok' | 'err';
  /** Message of the last failure; empty when the last evaluation succeeded. */
  lastError: string;
  /** Evaluation time of the last evaluation, epoch ms; 0 before the first. */
  lastEvaluation: number;
  /** Wall time the last evaluation took, seconds. */
  evaluationSeconds: number;
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
  readonly #limit: number;
  #health: RuleHealth = {
    health: 'unknown',
    lastError: '',
    lastEvaluation: 0,
    evaluationSeconds: 0,
  };

  constructor(options: {
    rule: Rule;
    group: string;
    factory: EvaluatorFactory;
    deps: RuleDependencies;
    stored: readonly AlertInstanceState[];
    /** The group's interval, ms. */
    intervalMs?: number;
    /** The group's `limit`; 0 or absent for none. */
    limit?: number;
    /** False when `stored` comes from a reload rather than the store; default true. */
    shiftTimers?: boolean;
  }) {
    const { rule, group, factory, deps } = options;
    this.#limit = options.limit ?? 0;
    this.rule = rule;
    this.#group = group;
    this.#factory = factory;
    this.#deps = deps;
    this.#instance = factory.create(
      deps.profileDirectory === undefined
        ? rule.inputs
        : { ...rule.inputs, profileDirectory: deps.profileDirectory },
    );
    this.#sourceLabels = sourceLabels(rule);
    deps.metrics.ruleEvaluationFailures.inc({ group, rule: rule.name }, 0);
    this.alerting =
      rule.kind === 'alert'
        ? new AlertEvaluation({
            rule,
            group,
            ...deps,
            stored: options.stored,
            limit: this.#limit,
            ...(options.intervalMs === undefined ? {} : { intervalMs: options.intervalMs }),
            ...(options.shiftTimers === undefined ? {} : { shiftTimers: options.shiftTimers }),
          })
        : undefined;
  }

  /** Health after the last evaluation. */
  health(): RuleHealth {
    return { ...this.#health };
  }

  /**
   * Evaluates the rule at `time` over [time − windowMs, time). Returns false when it failed; the
   * failure is counted and logged, and an alerting rule applies its `error` policy (by default
   * its states stay as they were).
   */
  run(time: number): boolean {
    const started = performance.now();
    const failure = this.#runOnce(time);
    this.#health = {
      health: failure === undefined ? 'ok' : 'err',
      lastError: failure === undefined ? '' : failure,
      lastEvaluation: time,
      evaluationSeconds: (performance.now() - started) / 1000,
    };
    return failure === undefined;
  }

  /** Evaluates once; returns the failure message, or undefined on success. */
  #runOnce(time: number): string | undefined {
    const { windowMs } = this.rule.inputs;
    const window = { from: time - windowMs, to: time };

    try {
      const outputs = this.#instance.evaluate({ time, window, data: this.#deps.window });
      this.#writeResults(time, outputs);
      this.#exportResults(outputs);
      if (this.rule.kind === 'record') this.#record(this.rule, time, outputs);
      else this.alerting?.apply(time, outputs);
      return undefined;
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
      this.#applyErrorPolicy(time);
      return error instanceof Error ? error.message : String(error);
    }
  }

  #applyErrorPolicy(time: number): void {
    try {
      this.alerting?.applyError(time);
    } catch (error) {
      this.#deps.logger.error(
        { group: this.#group, rule: this.rule.name, time, err: error },
        'error policy failed',
      );
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
        const labels = {
          ...exportedLabels(output.labels, RESERVED_GAUGE_LABELS),
          ...this.#sourceLabels,
          rule: this.rule.name,
        };
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
      // The stream keeps two streams recorded under one name apart; series keep their labels.
      const stream: Record<string, string> =
        rule.inputs.stream === undefined ? {} : { stream: rule.inputs.stream };
      const labels = { ...stream, ...output.labels, ...rule.labels };
      samples.push({ labels, value });
    }
    if (this.#limit > 0 && samples.length > this.#limit) {
      throw new Error(
        `rule ${rule.name} records ${samples.length} series, above the group limit ${this.#limit}; raise limit or narrow the rule`,
      );
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

/** Label names Vigil sets on result gauges itself; data labels of these names are renamed. */
const RESERVED_GAUGE_LABELS = new Set(['rule', 'stream', 'series']);

/**
 * Renames data labels that clash with labels Vigil sets, to `exported_<name>` as Prometheus
 * does for scraped labels that clash with target labels, so one cannot overwrite the other.
 */
function exportedLabels(
  labels: Record<string, string>,
  reserved: ReadonlySet<string>,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(labels)) {
    result[reserved.has(name) ? `exported_${name}` : name] = value;
  }
  return result;
}

/** Returns the label of what the rule reads: `stream` for event evaluators, `series` for series. */
function sourceLabels(rule: Rule): Record<string, string> {
  if (rule.inputs.stream !== undefined) return { stream: rule.inputs.stream };
  if (rule.inputs.series !== undefined) return { series: rule.inputs.series.name };
  return {};
}
