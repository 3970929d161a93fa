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
import type { AlertInstanceState } from '../alerting/alert.ts';
import { GroupRunner } from './group-runner.ts';
import type { RuleGroup, RuleSet } from './model.ts';
import type { RuleDependencies, RuleRunner } from './rule-runner.ts';
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
  /** Directory for stored reference profiles of drift rules; absent keeps them in memory. */
  profileDirectory?: string;
}

/** Counts of what a reload changed. */
export interface ReloadSummary {
  groups: number;
  /** Rules whose runner (alerts, timers, evaluator state) carried on unchanged. */
  unchanged: number;
  /** Rules new or changed; changed alerting rules took over their alert instances. */
  changed: number;
  /** Alert instances deleted because their rule is gone. */
  removedAlerts: number;
}

/**
 * Evaluates the rule groups on a clock. Each group evaluates at the multiples of its interval
 * (epoch ms), its rules in order with one evaluation time T, each over [T − windowMs, T).
 * On construction the engine loads the stored alert states, so firing alerts carry on, and the
 * first evaluation shifts pending timers by the downtime (see `AlertStateMachine`).
 * NOTE: states of rules no longer in the rule set at start are left in the store untouched;
 * a reload deletes them.
 */
export class RuleEngine {
  #groups = new Map<string, GroupRunner>();
  readonly #options: RuleEngineOptions;
  readonly #logger: Logger;
  readonly #clockKind: 'wall' | 'event';
  readonly #deps: RuleDependencies;
  #ruleSet: RuleSet;
  #wallClock: WallClock;
  #eventClock: EventClock;
  #started = false;

  constructor(options: RuleEngineOptions) {
    const { ruleSet, store, metrics, logger } = options;
    this.#options = options;
    this.#logger = logger;
    this.#clockKind = options.clock;
    this.#ruleSet = ruleSet;
    this.#deps = {
      store,
      window: options.window,
      gauges: new ResultGauges(metrics.registry),
      metrics,
      logger,
      externalUrl: options.externalUrl,
      ...(options.profileDirectory === undefined
        ? {}
        : { profileDirectory: options.profileDirectory }),
    };

    const stored = store.loadAlertStates();
    this.#groups = this.#buildGroups(ruleSet, stored, new Map());
    logger.info(
      { groups: this.#groups.size, restoredAlerts: stored.length, clock: options.clock },
      'rule engine loaded',
    );
    this.#wallClock = this.#createWallClock(ruleSet);
    this.#eventClock = this.#createEventClock(ruleSet);
  }

  /** Returns the rule set in use: the one given at start or by the last successful reload. */
  ruleSet(): RuleSet {
    return this.#ruleSet;
  }

  /** Returns the group runners in rule set order, for listings such as `GET /api/v1/rules`. */
  groups(): GroupRunner[] {
    return [...this.#groups.values()];
  }

  /**
   * Replaces the rule set. Unchanged rules (same group, name and definition hash) keep their
   * runners, and changed alerting rules take over their alert instances. Instances of removed
   * rules are deleted from the store. The wall clock restarts on the new groups, and since
   * evaluation times are interval multiples, unchanged groups keep their schedule. When the new
   * set cannot be built (an unknown evaluator), this throws and the old set stays.
   * NOTE: on the event-time clock the new clock starts without watermarks, so groups evaluate
   * again only once new data advances their sources.
   */
  async reload(ruleSet: RuleSet): Promise<ReloadSummary> {
    const previous = this.#groups;
    const groups = this.#buildGroups(ruleSet, [], previous);
    const summary = summarise(groups, previous);
    this.#deleteGone(groups, previous);

    await this.#wallClock.stop();
    this.#groups = groups;
    this.#ruleSet = ruleSet;
    this.#wallClock = this.#createWallClock(ruleSet);
    this.#eventClock = this.#createEventClock(ruleSet);
    if (this.#started) this.#wallClock.start();

    this.#logger.info({ ...summary }, 'rule engine reloaded');
    return summary;
  }

  #buildGroups(
    ruleSet: RuleSet,
    stored: readonly AlertInstanceState[],
    previous: ReadonlyMap<string, GroupRunner>,
  ): Map<string, GroupRunner> {
    const groups = new Map<string, GroupRunner>();
    for (const group of ruleSet.groups) {
      if (groups.has(group.name)) {
        throw new Error(
          `rule group "${group.name}" is defined twice; give each group its own name`,
        );
      }
      const old = previous.get(group.name);
      const runner = new GroupRunner({
        group,
        evaluators: this.#options.evaluators,
        deps: this.#deps,
        notifier: this.#options.notifier,
        stored,
        ...(old === undefined ? {} : { previous: old }),
      });
      groups.set(group.name, runner);
    }
    return groups;
  }

  /** Deletes the stored states of alert instances whose rule the new set no longer has. */
  #deleteGone(groups: Map<string, GroupRunner>, previous: Map<string, GroupRunner>): void {
    const keys = goneRunners(groups, previous).flatMap(
      (runner) => runner.alerting?.states().map((state) => state.key) ?? [],
    );
    if (keys.length > 0) this.#deps.store.saveAlertStates([], keys);
  }

  #createWallClock(ruleSet: RuleSet): WallClock {
    const { metrics } = this.#options;
    return new WallClock({
      groups: ruleSet.groups,
      evaluate: (name, time) => {
        this.evaluateGroupAt(name, time);
      },
      onMissed: (name, missed) => this.#countMissed(name, missed, metrics),
      ...(this.#options.timers ? { timers: this.#options.timers } : {}),
    });
  }

  #createEventClock(ruleSet: RuleSet): EventClock {
    const clocked = ruleSet.groups.map((group) => ({ ...group, sources: sourcesOf(group) }));
    return new EventClock(clocked, (name, time) => this.evaluateGroupAt(name, time));
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
    this.#started = true;
    this.#wallClock.start();
    this.#logger.info({ groups: this.#groups.size }, 'rule engine started');
  }

  /** Stops the wall clock and waits for an evaluation in progress to end. */
  async stop(): Promise<void> {
    this.#started = false;
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

/** Runners of the previous groups that no new group took over. */
function goneRunners(
  groups: ReadonlyMap<string, GroupRunner>,
  previous: ReadonlyMap<string, GroupRunner>,
): RuleRunner[] {
  const kept = new Set([...groups.values()].flatMap((group) => [...group.takenOver]));
  return [...previous.values()]
    .flatMap((group) => group.runners())
    .filter((runner) => !kept.has(runner));
}

function summarise(
  groups: ReadonlyMap<string, GroupRunner>,
  previous: ReadonlyMap<string, GroupRunner>,
): ReloadSummary {
  const old = new Set([...previous.values()].flatMap((group) => group.runners()));
  const runners = [...groups.values()].flatMap((group) => group.runners());
  const unchanged = runners.filter((runner) => old.has(runner)).length;
  const removedAlerts = goneRunners(groups, previous).reduce(
    (sum, runner) => sum + (runner.alerting?.states().length ?? 0),
    0,
  );
  return { groups: groups.size, unchanged, changed: runners.length - unchanged, removedAlerts };
}
