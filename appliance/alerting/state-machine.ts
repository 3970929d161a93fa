import type {
  AlertCause,
  AlertHistoryEntry,
  AlertInstanceState,
  AlertTransition,
} from './alert.ts';

/**
 * How long a resolved instance is kept so its resolution can be sent again, ms of the engine's
 * clock. Prometheus keeps resolved alerts for 15 minutes for the same reason.
 */
export const RESOLVED_RETENTION_MS = 15 * 60_000;

/** One alert instance whose condition is true at this evaluation. */
export interface ActiveSample {
  key: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  value: number;
  /** What made the condition true; default `value`. */
  cause?: AlertCause;
}

/** Instances that are not active at this evaluation but must not move as inactive ones do. */
export interface HeldKeys {
  /**
   * Keys whose firing instance stays firing: the condition is false, but the rule's resolve
   * condition is false too. Pending instances with these keys count as missed.
   */
  sustained?: ReadonlySet<string>;
  /** Keys whose instance keeps its state and timers, or `all` (the keep_state policies). */
  frozen?: ReadonlySet<string> | 'all';
}

/**
 * An alert instance in memory. `resolvedAt` is 0 unless the instance fired and then resolved;
 * a resolved instance has state `inactive` and is kept for `RESOLVED_RETENTION_MS`.
 */
export interface AlertInstance extends AlertInstanceState {
  resolvedAt: number;
}

/** The changes of one evaluation: history to append, states to save and keys to delete. */
export interface StateUpdate {
  history: AlertHistoryEntry[];
  saved: AlertInstanceState[];
  removed: string[];
}

export interface AlertStateMachineOptions {
  group: string;
  rule: string;
  forMs: number;
  /** Default 0: a firing instance resolves at the first evaluation it is not active. */
  keepFiringForMs?: number;
  /** Consecutive missed evaluations a pending instance survives; default 0. */
  tolerance?: number;
  /**
   * The group's interval, ms. With it, the first evaluation after `restore` shifts the timers
   * of restored instances by the downtime; without it, nothing is shifted.
   */
  intervalMs?: number;
}

/**
 * The alert state machine of one alerting rule, with Prometheus semantics and three additions:
 * - inactive → pending at the first evaluation whose condition is true (`activeAt` = T);
 * - pending → firing once T − activeAt ≥ `forMs`, in the same evaluation when `forMs` is 0;
 * - a pending instance that is not active is dropped once it missed more than `tolerance`
 *   consecutive evaluations (0 by default, as Prometheus);
 * - firing → resolved when not active, unless sustained by the resolve condition, or held by
 *   `keepFiringForMs` counted from the first evaluation it was not active;
 * - a resolved instance is kept until T − resolvedAt > `RESOLVED_RETENTION_MS`, and a new true
 *   condition starts a new episode with a new `activeAt` and `firedAt`;
 * - a frozen instance (keep_state policies) keeps its state and timers.
 * Times are the evaluation times of the engine's clock.
 */
export class AlertStateMachine {
  readonly #group: string;
  readonly #rule: string;
  readonly #forMs: number;
  readonly #keepFiringForMs: number;
  readonly #tolerance: number;
  readonly #intervalMs: number | undefined;
  readonly #instances = new Map<string, AlertInstance>();
  /** Keys restored from the store whose timers the next evaluation shifts by the downtime. */
  readonly #restored = new Set<string>();

  constructor(options: AlertStateMachineOptions) {
    this.#group = options.group;
    this.#rule = options.rule;
    this.#forMs = options.forMs;
    this.#keepFiringForMs = options.keepFiringForMs ?? 0;
    this.#tolerance = options.tolerance ?? 0;
    this.#intervalMs = options.intervalMs;
  }

  /**
   * Restores stored states. A stored `inactive` state is a resolved instance whose
   * `lastEvaluatedAt` is the resolution time, because resolved instances are not updated again.
   * Pass `shiftTimers: false` for states handed over in memory (a reload), which had no downtime.
   */
  restore(states: readonly AlertInstanceState[], options: { shiftTimers?: boolean } = {}): void {
    for (const state of states) {
      const resolvedAt = state.state === 'inactive' ? state.lastEvaluatedAt : 0;
      this.#instances.set(state.key, { ...state, resolvedAt });
      if (options.shiftTimers !== false) this.#restored.add(state.key);
    }
  }

  /** Instances in key order: pending, firing and resolved ones still kept. */
  instances(): AlertInstance[] {
    return [...this.#instances.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
  }

  /** Applies one evaluation at `time` whose condition is true for exactly the `active` samples. */
  evaluate(time: number, active: readonly ActiveSample[], held: HeldKeys = {}): StateUpdate {
    const update: StateUpdate = { history: [], saved: [], removed: [] };
    const seen = new Set<string>();
    this.#shiftRestored(time);

    for (const sample of active) {
      seen.add(sample.key);
      this.#applyActive(time, sample, update);
    }

    for (const instance of [...this.#instances.values()]) {
      if (seen.has(instance.key)) continue;
      const frozen = held.frozen === 'all' || held.frozen?.has(instance.key) === true;
      // A frozen instance stays exactly as it was, `lastEvaluatedAt` included.
      if (!frozen)
        this.#applyInactive(time, instance, held.sustained?.has(instance.key) === true, update);
    }

    return update;
  }

  /**
   * Moves the timers of restored instances forward by the downtime: the time between the last
   * stored evaluation plus one interval and this evaluation. A pending instance's `activeAt`
   * and a held instance's `keepFiringSince` move, so time spent down counts toward neither
   * `for` nor `keep_firing_for`; `firedAt` (the alert's `startsAt`) never moves.
   */
  #shiftRestored(time: number): void {
    if (this.#restored.size === 0) return;
    const intervalMs = this.#intervalMs;

    for (const key of this.#restored) {
      const instance = this.#instances.get(key);
      if (instance === undefined || intervalMs === undefined) continue;
      const downtime = time - instance.lastEvaluatedAt - intervalMs;
      if (downtime <= 0 || instance.state === 'inactive') continue;
      if (instance.state === 'pending') instance.activeAt += downtime;
      if ((instance.keepFiringSince ?? 0) > 0) {
        instance.keepFiringSince = (instance.keepFiringSince ?? 0) + downtime;
      }
    }
    this.#restored.clear();
  }

  #applyActive(time: number, sample: ActiveSample, update: StateUpdate): void {
    let instance = this.#instances.get(sample.key);
    if (instance === undefined || instance.state === 'inactive') {
      instance = this.#newInstance(time, sample);
      this.#instances.set(sample.key, instance);
      this.#record(time, instance, 'pending', update);
    }

    instance.annotations = sample.annotations;
    instance.value = sample.value;
    instance.lastEvaluatedAt = time;
    instance.cause = sample.cause ?? 'value';
    instance.missedEvaluations = 0;
    instance.keepFiringSince = 0;

    if (instance.state === 'pending' && time - instance.activeAt >= this.#forMs) {
      instance.state = 'firing';
      instance.firedAt = time;
      this.#record(time, instance, 'firing', update);
    }
    update.saved.push(toState(instance));
  }

  #applyInactive(
    time: number,
    instance: AlertInstance,
    sustained: boolean,
    update: StateUpdate,
  ): void {
    if (instance.state === 'pending') {
      this.#applyMissed(time, instance, update);
      return;
    }
    if (instance.state === 'firing') {
      if (sustained || this.#keepsFiring(time, instance)) {
        instance.lastEvaluatedAt = time;
        update.saved.push(toState(instance));
        return;
      }
      instance.state = 'inactive';
      instance.resolvedAt = time;
      instance.lastEvaluatedAt = time;
      instance.keepFiringSince = 0;
      this.#record(time, instance, 'resolved', update);
      update.saved.push(toState(instance));
      return;
    }

    if (time - instance.resolvedAt > RESOLVED_RETENTION_MS) {
      this.#instances.delete(instance.key);
      update.removed.push(instance.key);
    }
  }

  /** Counts a missed evaluation of a pending instance and drops it past the tolerance. */
  #applyMissed(time: number, instance: AlertInstance, update: StateUpdate): void {
    const missed = (instance.missedEvaluations ?? 0) + 1;
    if (missed > this.#tolerance) {
      this.#instances.delete(instance.key);
      update.removed.push(instance.key);
      return;
    }
    instance.missedEvaluations = missed;
    instance.lastEvaluatedAt = time;
    update.saved.push(toState(instance));
  }

  /** Starts or continues the `keep_firing_for` hold; true while it has not run out. */
  #keepsFiring(time: number, instance: AlertInstance): boolean {
    if (this.#keepFiringForMs <= 0) return false;
    if ((instance.keepFiringSince ?? 0) === 0) instance.keepFiringSince = time;
    return time - (instance.keepFiringSince ?? time) < this.#keepFiringForMs;
  }

  #newInstance(time: number, sample: ActiveSample): AlertInstance {
    return {
      key: sample.key,
      group: this.#group,
      rule: this.#rule,
      state: 'pending',
      labels: sample.labels,
      annotations: sample.annotations,
      activeAt: time,
      firedAt: 0,
      lastEvaluatedAt: time,
      value: sample.value,
      resolvedAt: 0,
    };
  }

  #record(
    time: number,
    instance: AlertInstance,
    transition: AlertTransition,
    update: StateUpdate,
  ): void {
    update.history.push({
      timestamp: time,
      key: instance.key,
      group: this.#group,
      rule: this.#rule,
      transition,
      labels: instance.labels,
      annotations: instance.annotations,
      value: instance.value,
    });
  }
}

/** Copies an instance without `resolvedAt`, which the stored state derives on restore. */
export function toState(instance: AlertInstance): AlertInstanceState {
  const state: AlertInstanceState & { resolvedAt?: number } = { ...instance };
  delete state.resolvedAt;
  return state;
}
