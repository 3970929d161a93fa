import type { Alert, AlertInstanceState } from '../alerting/alert.ts';
import type { AlertSink } from '../alerting/notifier.ts';
import type { AlertInstance } from '../alerting/state-machine.ts';
import type { EvaluatorFactory } from '../evaluators/evaluator.ts';
import type { Rule, RuleGroup } from './model.ts';
import { ruleHash } from './rule-hash.ts';
import { RuleRunner, type RuleDependencies } from './rule-runner.ts';

/**
 * Evaluates one rule group: every rule in file order at one evaluation time T, each over
 * [T − windowMs, T), then hands the group's alerts to the notifier. A failing rule is counted
 * and logged by its runner, and the rules after it still run.
 */
export class GroupRunner {
  readonly group: RuleGroup;
  readonly #rules: RuleRunner[];
  /** Definition hash of each rule, by rule name, so a reload can tell unchanged rules. */
  readonly #hashes = new Map<string, string>();
  /** Runners this group took over from the group it replaced, unchanged or handed over. */
  readonly takenOver = new Set<RuleRunner>();
  readonly #deps: RuleDependencies;
  readonly #notifier: AlertSink;

  /**
   * With `previous` (the group of the same name before a reload), an unchanged rule (same name
   * and definition hash) keeps its runner, so its alerts, timers and evaluator state go on. A
   * changed alerting rule of the same name gets a new runner that takes over the old one's
   * alert instances without a downtime shift; its evaluator starts afresh.
   */
  constructor(options: {
    group: RuleGroup;
    evaluators: ReadonlyMap<string, EvaluatorFactory>;
    deps: RuleDependencies;
    notifier: AlertSink;
    stored: readonly AlertInstanceState[];
    previous?: GroupRunner;
  }) {
    const { group } = options;
    this.group = group;
    this.#deps = options.deps;
    this.#notifier = options.notifier;
    // Counters start at 0 for every group, so dashboards show 0 rather than no data.
    options.deps.metrics.ruleEvaluations.inc({ group: group.name }, 0);
    options.deps.metrics.ruleGroupMissedIterations.inc({ group: group.name }, 0);

    this.#rules = group.rules.map((rule) => {
      const hash = ruleHash(rule, group);
      this.#hashes.set(rule.name, hash);
      const previous = options.previous;
      const old = previous?.runner(rule.name);
      if (old !== undefined && previous !== undefined && previous.#hashes.get(rule.name) === hash) {
        this.takenOver.add(old);
        return old;
      }
      if (old?.alerting !== undefined && rule.kind === 'alert') {
        this.takenOver.add(old);
        return this.#newRunner(rule, options.evaluators, old.alerting.handOver(), false);
      }
      const stored = options.stored.filter(
        (state) => state.group === group.name && state.rule === rule.name,
      );
      return this.#newRunner(rule, options.evaluators, stored, true);
    });
  }

  #newRunner(
    rule: Rule,
    evaluators: ReadonlyMap<string, EvaluatorFactory>,
    stored: readonly AlertInstanceState[],
    shiftTimers: boolean,
  ): RuleRunner {
    const factory = evaluators.get(rule.evaluator);
    if (factory === undefined) {
      const where = `${rule.position.file}:${rule.position.line}:${rule.position.column}`;
      throw new Error(
        `${where}: rule ${rule.name} names unknown evaluator "${rule.evaluator}"; ` +
          `use one of: ${[...evaluators.keys()].sort().join(', ')}`,
      );
    }
    return new RuleRunner({
      rule,
      group: this.group.name,
      factory,
      deps: this.#deps,
      stored,
      intervalMs: this.group.intervalMs,
      limit: this.group.limit ?? 0,
      shiftTimers,
    });
  }

  /** The runner of the rule named `name`, if the group has one. */
  runner(name: string): RuleRunner | undefined {
    return this.#rules.find((runner) => runner.rule.name === name);
  }

  /** Every runner, in rule order. */
  runners(): readonly RuleRunner[] {
    return this.#rules;
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
