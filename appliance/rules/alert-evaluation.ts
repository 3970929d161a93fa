import type { Alert, AlertInstanceState } from '../alerting/alert.ts';
import { formatTime, ZERO_TIME } from '../alerting/alertmanager-payload.ts';
import {
  AlertStateMachine,
  type ActiveSample,
  type AlertInstance,
} from '../alerting/state-machine.ts';
import type { EvaluationOutput } from '../evaluators/evaluator.ts';
import type { Logger } from '../log/logger.ts';
import type { VigilMetrics } from '../metrics/metrics.ts';
import type { Store } from '../store/store.ts';
import { alertKey, alertLabels, fingerprint } from './alert-labels.ts';
import { compileCondition, type CompiledCondition } from './expression.ts';
import type { AlertingRule } from './model.ts';
import { compileTemplate, type CompiledTemplate, type TemplateData } from './template.ts';

/**
 * The alerting part of one rule: decides which outputs satisfy the condition, renders the
 * annotations, drives the state machine, stores states and history, and turns the instances
 * into the alerts receivers get.
 */
export class AlertEvaluation {
  readonly #rule: AlertingRule;
  readonly #group: string;
  readonly #condition: CompiledCondition;
  readonly #annotations: [string, CompiledTemplate][];
  readonly #machine: AlertStateMachine;
  readonly #store: Store;
  readonly #metrics: VigilMetrics;
  readonly #logger: Logger;
  readonly #generatorUrl: string;

  constructor(options: {
    rule: AlertingRule;
    group: string;
    store: Store;
    metrics: VigilMetrics;
    logger: Logger;
    externalUrl: string;
    stored: readonly AlertInstanceState[];
  }) {
    const { rule, group } = options;
    this.#rule = rule;
    this.#group = group;
    this.#condition = compileCondition(rule.when);
    this.#annotations = Object.entries(rule.annotations).map(([name, source]) => [
      name,
      compileTemplate(source),
    ]);
    this.#store = options.store;
    this.#metrics = options.metrics;
    this.#logger = options.logger;
    this.#generatorUrl = generatorUrl(options.externalUrl, group, rule.name);

    this.#machine = new AlertStateMachine({ group, rule: rule.name, forMs: rule.forMs });
    this.#machine.restore(options.stored);
    this.#updateGauge();
  }

  /**
   * Applies the outputs of one evaluation at `time`. An output whose condition is false (NaN
   * compares false) or that is missing counts as inactive.
   */
  apply(time: number, outputs: readonly EvaluationOutput[]): void {
    const active = outputs.filter((output) => this.#condition.evaluate(output.values));
    const samples = active.map((output) => this.#sample(output));

    const update = this.#machine.evaluate(time, samples);
    this.#store.saveAlertStates(update.saved, update.removed);
    if (update.history.length > 0) this.#store.appendAlertHistory(update.history);
    for (const entry of update.history) {
      this.#logger.info(
        { rule: this.#rule.name, alert: entry.key, transition: entry.transition, time },
        'alert state changed',
      );
    }

    this.#updateGauge();
  }

  /** Firing instances and resolved ones still kept, as alerts for receivers. */
  alerts(): Alert[] {
    const alerts: Alert[] = [];
    for (const instance of this.#machine.instances()) {
      if (instance.state === 'firing' || instance.resolvedAt > 0) {
        alerts.push(this.#toAlert(instance));
      }
    }
    return alerts;
  }

  states(): AlertInstance[] {
    return this.#machine.instances();
  }

  /**
   * Returns the output's labels plus the stream an event rule reads, so alerts of different
   * streams never share an instance and templates can use `$labels.stream`. Series rules
   * already carry the series' own labels in their outputs.
   */
  #inputLabels(output: EvaluationOutput): Record<string, string> {
    const stream = this.#rule.inputs.stream;
    return stream === undefined ? output.labels : { stream, ...output.labels };
  }

  #sample(output: EvaluationOutput): ActiveSample {
    const labels = alertLabels(this.#rule.name, this.#rule.labels, this.#inputLabels(output));
    const value = output.values.value;
    const annotations: Record<string, string> = {};
    for (const [name, template] of this.#annotations) {
      annotations[name] = this.#render(name, template, { labels, value, values: output.values });
    }
    return { key: alertKey(this.#group, this.#rule.name, labels), labels, annotations, value };
  }

  /** Renders one annotation; a template error becomes the text, as Prometheus does. */
  #render(name: string, template: CompiledTemplate, data: TemplateData): string {
    try {
      return template.render(data);
    } catch (error) {
      this.#logger.warn(
        { rule: this.#rule.name, annotation: name, err: error },
        'annotation template failed',
      );
      return `<error expanding template: ${error instanceof Error ? error.message : String(error)}>`;
    }
  }

  #toAlert(instance: AlertInstance): Alert {
    const resolved = instance.resolvedAt > 0;
    return {
      status: resolved ? 'resolved' : 'firing',
      labels: instance.labels,
      annotations: instance.annotations,
      startsAt: formatTime(instance.firedAt),
      endsAt: resolved ? formatTime(instance.resolvedAt) : ZERO_TIME,
      generatorURL: this.#generatorUrl,
      fingerprint: fingerprint(instance.labels),
    };
  }

  #updateGauge(): void {
    let pending = 0;
    let firing = 0;
    for (const instance of this.#machine.instances()) {
      if (instance.state === 'pending') pending++;
      if (instance.state === 'firing') firing++;
    }
    this.#metrics.alertsActive.set({ rule: this.#rule.name, state: 'pending' }, pending);
    this.#metrics.alertsActive.set({ rule: this.#rule.name, state: 'firing' }, firing);
  }
}

/**
 * Returns the link receivers show as the alert's source: the rule in the appliance's rule list.
 * NOTE: the HTTP API has no page for one rule yet, so the link carries group and rule as query.
 */
function generatorUrl(externalUrl: string, group: string, rule: string): string {
  const base = externalUrl.replace(/\/+$/, '');
  const query = new URLSearchParams({ group, rule });
  return `${base}/api/v1/rules?${query.toString()}`;
}
