import type { Alert, AlertInstanceState } from '../alerting/alert.ts';
import type { AlertSink } from '../alerting/notifier.ts';
import type { AlertInstance } from '../alerting/state-machine.ts';
import type { EvaluatorFactory } from '../evaluators/evaluator.ts';
import type { RuleGroup } from './model.ts';
import { RuleRunner, type RuleDependencies } from './rule-runner.ts';

/**
 * Evaluates one rule group: every rule in file order at one evaluation time T, each over
 * [T − windowMs, T), then hands the group's alerts to the notifier. A failing rule is counted
 * and logged by its runner, and the rules after it still run.
 */
export class GroupRunner {
  readonly group: RuleGroup;
  readonly #rules: RuleRunner[];
  readonly #deps: RuleDependencies;
  readonly #notifier: AlertSink;

  constructor(options: {
    group: RuleGroup;
    evaluators: ReadonlyMap<string, EvaluatorFactory>;
    deps: RuleDependencies;
    notifier: AlertSink;
    stored: readonly AlertInstanceState[];
  }) {
    const { group, evaluators, deps } = options;
    this.group = group;
    this.#deps = deps;
    this.#notifier = options.notifier;

    this.#rules = group.rules.map((rule) => {
      const factory = evaluators.get(rule.evaluator);
      if (factory === undefined) {
        const where = `${rule.position.file}:${rule.position.line}:${rule.position.column}`;
        throw new Error(
          `${where}: rule ${rule.name} names unknown evaluator "${rule.evaluator}"; ` +
            `use one of: ${[...evaluators.keys()].sort().join(', ')}`,
        );
      }
      const stored = options.stored.filter(
        (state) => state.group === group.name && state.rule === rule.name,
      );
      return new RuleRunner({
        rule,
        group: group.name,
        factory,
        deps,
        stored,
        intervalMs: group.intervalMs,
        limit: group.limit ?? 0,
      });
    });
  }

  /** Evaluates every rule at `time`; returns how many failed. */
  evaluate(time: number): number {
    const { metrics } = this.#deps;
    const endTimer = metrics.ruleEvaluationDuration.startTimer({ group: this.group.name });

    let failures = 0;
    for (const runner of this.#rules) {
      if (!runner.run(time)) failures++;
    }
    endTimer();
    metrics.ruleEvaluations.inc({ group: this.group.name });

    try {
      this.#notifier.notify({ group: this.group.name, time, alerts: this.alerts() });
    } catch (error) {
      this.#deps.logger.error({ group: this.group.name, time, err: error }, 'notify failed');
    }
    return failures;
  }

  /** Firing alerts and resolved ones still kept, of every alerting rule of the group. */
  alerts(): Alert[] {
    return this.#rules.flatMap((runner) => runner.alerting?.alerts() ?? []);
  }

  /** Alert instances of every alerting rule of the group, in rule order. */
  states(): AlertInstance[] {
    return this.#rules.flatMap((runner) => runner.alerting?.states() ?? []);
  }

  /** Names of the series the group's recording rules write. */
  recordedSeries(): string[] {
    return this.#rules.filter((runner) => runner.rule.kind === 'record').map((r) => r.rule.name);
  }
}
