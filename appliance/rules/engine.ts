import type { AlertSink } from '../alerting/notifier.ts';
import type { AlertInstance } from '../alerting/state-machine.ts';
import { EventClock } from '../clock/event-clock.ts';
import { WallClock, type TimerSource } from '../clock/wall-clock.ts';
import type { EvaluatorFactory } from '../evaluators/evaluator.ts';
import type { Logger } from '../log/logger.ts';
import type { VigilMetrics } from '../metrics/metrics.ts';
import { ResultGauges } from '../metrics/result-gauges.ts';
import type { Store } from '../store/store.ts';
import type { WindowReader } from '../window/window-reader.ts';
import { GroupRunner } from './group-runner.ts';
import type { RuleGroup, RuleSet } from './model.ts';
import { sourcesOf } from './sources.ts';

export interface RuleEngineOptions {
  ruleSet: RuleSet;
  evaluators: ReadonlyMap<string, EvaluatorFactory>;
  store: Store;
  window: WindowReader;
  notifier: AlertSink;
  metrics: VigilMetrics;
  logger: Logger;
  /** `wall`: `start()` evaluates on timers; `event`: `advance()` evaluates as data arrives. */
  clock: 'wall' | 'event';
  /** Base URL of the appliance, for the alerts' `generatorURL`. */
  externalUrl: string;
  /** Timers of the wall clock; tests replace them. */
  timers?: TimerSource;
}

/**
 * Evaluates the rule groups on a clock. Each group evaluates at the multiples of its interval
 * (epoch ms), its rules in order with one evaluation time T, each over [T − windowMs, T).
 * On construction the engine loads the stored alert states, so firing alerts carry on.
 * NOTE: time spent down counts toward `for` after a restart, and states of rules no longer
 * in the rule set are left in the store untouched.
 */
export class RuleEngine {
  readonly #groups = new Map<string, GroupRunner>();
  readonly #logger: Logger;
  readonly #clockKind: 'wall' | 'event';
  readonly #wallClock: WallClock;
  readonly #eventClock: EventClock;

  constructor(options: RuleEngineOptions) {
    const { ruleSet, store, metrics, logger } = options;
    this.#logger = logger;
    this.#clockKind = options.clock;

    const deps = {
      store,
      window: options.window,
      gauges: new ResultGauges(metrics.registry),
      metrics,
      logger,
      externalUrl: options.externalUrl,
    };
    const stored = store.loadAlertStates();
    for (const group of ruleSet.groups) {
      if (this.#groups.has(group.name)) {
        throw new Error(
          `rule group "${group.name}" is defined twice; give each group its own name`,
        );
      }
      const runner = new GroupRunner({
        group,
        evaluators: options.evaluators,
        deps,
        notifier: options.notifier,
        stored,
      });
      this.#groups.set(group.name, runner);
    }
    logger.info(
      { groups: this.#groups.size, restoredAlerts: stored.length, clock: options.clock },
      'rule engine loaded',
    );

    this.#wallClock = new WallClock({
      groups: ruleSet.groups,
      evaluate: (name, time) => {
        this.evaluateGroupAt(name, time);
      },
      onMissed: (name, missed) => this.#countMissed(name, missed, metrics),
      ...(options.timers ? { timers: options.timers } : {}),
    });
    const clocked = ruleSet.groups.map((group) => ({ ...group, sources: sourcesOf(group) }));
    this.#eventClock = new EventClock(clocked, (name, time) => this.evaluateGroupAt(name, time));
  }

  /**
   * Evaluates one group at evaluation time `time` (epoch ms of the engine's clock). Both clocks
   * call this; tests call it directly. Returns how many rules failed.
   */
  evaluateGroupAt(group: RuleGroup | string, time: number): number {
    const name = typeof group === 'string' ? group : group.name;
    const runner = this.#groups.get(name);
    if (runner === undefined) {
      throw new Error(
        `unknown rule group "${name}"; known groups: ${[...this.#groups.keys()].join(', ')}`,
      );
    }

    const failures = runner.evaluate(time);
    if (this.#clockKind !== 'event') return failures;

    // A recorded point at T means every point of that series before T + interval exists.
    for (const series of runner.recordedSeries()) {
      this.#eventClock.advance(`series:${series}`, time + runner.group.intervalMs, time);
    }
    return failures;
  }

  /** Starts the wall clock. The event-time clock needs no start: `advance` drives it. */
  start(): void {
    if (this.#clockKind !== 'wall') return;
    this.#wallClock.start();
    this.#logger.info({ groups: this.#groups.size }, 'rule engine started');
  }

  /** Stops the wall clock and waits for an evaluation in progress to end. */
  async stop(): Promise<void> {
    await this.#wallClock.stop();
    this.#logger.info('rule engine stopped');
  }

  /**
   * Moves the event-time watermark of `source` (`stream:<name>` or `series:<name>`) and runs
   * every group evaluation that became due, in time order. `earliest` is the time of the
   * source's first data when known. Ignored on the wall clock.
   */
  advance(source: string, watermark: number, earliest?: number): void {
    if (this.#clockKind !== 'event') return;
    this.#eventClock.advance(source, watermark, earliest);
  }

  /** Alert instances of every group: pending, firing and resolved ones still kept. */
  alertStates(): AlertInstance[] {
    return [...this.#groups.values()].flatMap((runner) => runner.states());
  }

  #countMissed(group: string, missed: number, metrics: VigilMetrics): void {
    metrics.ruleGroupMissedIterations.inc({ group }, missed);
    this.#logger.warn({ group, missed }, 'rule group evaluation overran its interval');
  }
}
