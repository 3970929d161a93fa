import type { Alert, AlertCause, AlertInstanceState } from '../alerting/alert.ts';
import { formatTime, ZERO_TIME } from '../alerting/alertmanager-payload.ts';
import {
  AlertStateMachine,
  type ActiveSample,
  type AlertInstance,
  type HeldKeys,
  toState,
} from '../alerting/state-machine.ts';
import type { EvaluationOutput } from '../evaluators/evaluator.ts';
import type { Logger } from '../log/logger.ts';
import type { VigilMetrics } from '../metrics/metrics.ts';
import type { Store } from '../store/store.ts';
import { alertKey, alertLabels, fingerprint } from './alert-labels.ts';
import { classifyOutputs } from './classify-outputs.ts';
import { compileCondition, type CompiledCondition } from './expression.ts';
import type { AlertingRule, StatePolicy } from './model.ts';
import { compileTemplate, type CompiledTemplate, type TemplateData } from './template.ts';

/** Label that marks the instance the `nodata` and `alerting` policies start. */
export const REASON_LABEL = 'vigil_reason';

/**
 * The alerting part of one rule: decides which outputs satisfy the condition, applies the NaN,
 * no-data and error policies, renders the annotations, drives the state machine, stores states
 * and history, and turns the instances into the alerts receivers get.
 */
export class AlertEvaluation {
  readonly #rule: AlertingRule;
  readonly #group: string;
  readonly #condition: CompiledCondition;
  readonly #resolveCondition: CompiledCondition | undefined;
  readonly #limit: number;
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
    /** The group's interval, ms, so restored timers can be shifted by the downtime. */
    intervalMs?: number;
    /** The group's `limit`: most active instances per evaluation; 0 for none. */
    limit?: number;
    /** False for states handed over by a reload, which had no downtime; default true. */
    shiftTimers?: boolean;
  }) {
    const { rule, group } = options;
    this.#rule = rule;
    this.#group = group;
    this.#condition = compileCondition(rule.when);
    this.#resolveCondition =
      rule.resolveWhen === undefined ? undefined : compileCondition(rule.resolveWhen);
    this.#limit = options.limit ?? 0;
    this.#annotations = Object.entries(rule.annotations).map(([name, source]) => [
      name,
      compileTemplate(source),
    ]);
    this.#store = options.store;
    this.#metrics = options.metrics;
    this.#logger = options.logger;
    this.#generatorUrl = generatorUrl(options.externalUrl, group, rule.name);

    this.#machine = new AlertStateMachine({
      group,
      rule: rule.name,
      forMs: rule.forMs,
      keepFiringForMs: rule.keepFiringForMs ?? 0,
      tolerance: rule.tolerance ?? 0,
      ...(options.intervalMs === undefined ? {} : { intervalMs: options.intervalMs }),
    });
    this.#machine.restore(options.stored, { shiftTimers: options.shiftTimers ?? true });
    this.#updateGauge();
  }

  /**
   * Applies the outputs of one evaluation at `time`. An output whose condition is false (NaN
   * compares false unless the NaN policy says otherwise) or that is missing counts as inactive.
   * No outputs at all is "no data" and follows the rule's `noData` policy. Throws when more
   * instances are active than the group's limit, before any state changes.
   */
  apply(time: number, outputs: readonly EvaluationOutput[]): void {
    if (outputs.length === 0) {
      this.#applyPolicy(time, this.#rule.noData ?? 'ok', 'nodata');
      return;
    }

    const classified = classifyOutputs(outputs, {
      when: this.#condition,
      ...(this.#resolveCondition === undefined ? {} : { resolveWhen: this.#resolveCondition }),
      nan: this.#rule.nan ?? false,
    });
    if (this.#limit > 0 && classified.active.length > this.#limit) {
      throw new Error(
        `rule ${this.#rule.name} has ${classified.active.length} active alerts, above the group limit ${this.#limit}; raise limit or narrow the rule`,
      );
    }

    const samples = classified.active.map(({ output, cause }) => this.#sample(output, cause));
    const held: HeldKeys = {
      sustained: new Set(classified.sustained.map((output) => this.#keyOf(output))),
      frozen: new Set(classified.frozen.map((output) => this.#keyOf(output))),
    };
    this.#commit(time, this.#machine.evaluate(time, samples, held));
  }

  /** Applies the rule's `error` policy after its evaluator failed at `time`. */
  applyError(time: number): void {
    const policy = this.#rule.error ?? 'keep_state';
    if (policy === 'nodata') this.#applyPolicy(time, this.#rule.noData ?? 'ok', 'nodata');
    else this.#applyPolicy(time, policy, 'error');
  }

  /** The current instances as plain states, for a reload to hand over to a new runner. */
  handOver(): AlertInstanceState[] {
    return this.#machine.instances().map((instance) => toState(instance));
  }

  /**
   * Applies a no-data or error policy: `ok` treats every instance as inactive, `keep_state`
   * freezes them, `alerting` keeps the active ones active (or starts one instance with the
   * rule's labels and `vigil_reason`), and `nodata` starts that one instance and lets the
   * others go inactive.
   */
  #applyPolicy(time: number, policy: StatePolicy, cause: 'nodata' | 'error'): void {
    if (policy === 'keep_state') {
      this.#commit(time, this.#machine.evaluate(time, [], { frozen: 'all' }));
      return;
    }
    if (policy === 'ok') {
      this.#commit(time, this.#machine.evaluate(time, []));
      return;
    }

    const current = this.#machine
      .instances()
      .filter((instance) => instance.state !== 'inactive')
      .map((instance) => ({ ...instance, cause }));
    const samples =
      policy === 'alerting' && current.length > 0 ? current : [this.#reasonSample(cause)];
    this.#commit(time, this.#machine.evaluate(time, samples));
  }

  #commit(time: number, update: ReturnType<AlertStateMachine['evaluate']>): void {
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

  #keyOf(output: EvaluationOutput): string {
    const labels = alertLabels(this.#rule.name, this.#rule.labels, this.#inputLabels(output));
    return alertKey(this.#group, this.#rule.name, labels);
  }

  #sample(output: EvaluationOutput, cause: AlertCause): ActiveSample {
    const labels = alertLabels(this.#rule.name, this.#rule.labels, this.#inputLabels(output));
    return this.#renderSample(labels, output.values, cause);
  }

  /** The one instance the no-data and error policies start: the rule's labels and the reason. */
  #reasonSample(cause: 'nodata' | 'error'): ActiveSample {
    const own: Record<string, string> = { [REASON_LABEL]: cause };
    if (this.#rule.inputs.stream !== undefined) own.stream = this.#rule.inputs.stream;
    const labels = alertLabels(this.#rule.name, this.#rule.labels, own);
    return this.#renderSample(labels, { value: Number.NaN }, cause);
  }

  #renderSample(
    labels: Record<string, string>,
    values: Record<string, number> & { value: number },
    cause: AlertCause,
  ): ActiveSample {
    const value = values.value;
    const annotations: Record<string, string> = {};
    for (const [name, template] of this.#annotations) {
      annotations[name] = this.#render(name, template, { labels, value, values });
    }
    const key = alertKey(this.#group, this.#rule.name, labels);
    return { key, labels, annotations, value, cause };
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
