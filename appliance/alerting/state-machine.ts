import type { AlertHistoryEntry, AlertInstanceState, AlertTransition } from './alert.ts';

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

/**
 * The alert state machine of one alerting rule, with Prometheus semantics:
 * - inactive → pending at the first evaluation whose condition is true (`activeAt` = T);
 * - pending → firing once T − activeAt ≥ `forMs`, in the same evaluation when `forMs` is 0;
 * - a pending instance whose condition is false or missing is dropped;
 * - firing → resolved when the condition is false or missing; the resolved instance is kept
 *   until T − resolvedAt > `RESOLVED_RETENTION_MS`, and a new true condition starts a new
 *   episode with a new `activeAt` and `firedAt`.
 * Times are the evaluation times of the engine's clock.
 */
export class AlertStateMachine {
  readonly #group: string;
  readonly #rule: string;
  readonly #forMs: number;
  readonly #instances = new Map<string, AlertInstance>();

  constructor(options: { group: string; rule: string; forMs: number }) {
    this.#group = options.group;
    this.#rule = options.rule;
    this.#forMs = options.forMs;
  }

  /**
   * Restores stored states. A stored `inactive` state is a resolved instance whose
   * `lastEvaluatedAt` is the resolution time, because resolved instances are not updated again.
   */
  restore(states: readonly AlertInstanceState[]): void {
    for (const state of states) {
      const resolvedAt = state.state === 'inactive' ? state.lastEvaluatedAt : 0;
      this.#instances.set(state.key, { ...state, resolvedAt });
    }
  }

  /** Instances in key order: pending, firing and resolved ones still kept. */
  instances(): AlertInstance[] {
    return [...this.#instances.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
  }

  /** Applies one evaluation at `time` whose condition is true for exactly the `active` samples. */
  evaluate(time: number, active: readonly ActiveSample[]): StateUpdate {
    const update: StateUpdate = { history: [], saved: [], removed: [] };
    const seen = new Set<string>();

    for (const sample of active) {
      seen.add(sample.key);
      this.#applyActive(time, sample, update);
    }

    for (const instance of [...this.#instances.values()]) {
      if (!seen.has(instance.key)) this.#applyInactive(time, instance, update);
    }

    return update;
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

    if (instance.state === 'pending' && time - instance.activeAt >= this.#forMs) {
      instance.state = 'firing';
      instance.firedAt = time;
      this.#record(time, instance, 'firing', update);
    }
    update.saved.push(toState(instance));
  }

  #applyInactive(time: number, instance: AlertInstance, update: StateUpdate): void {
    if (instance.state === 'pending') {
      this.#instances.delete(instance.key);
      update.removed.push(instance.key);
      return;
    }

    if (instance.state === 'firing') {
      instance.state = 'inactive';
      instance.resolvedAt = time;
      instance.lastEvaluatedAt = time;
      this.#record(time, instance, 'resolved', update);
      update.saved.push(toState(instance));
      return;
    }

    if (time - instance.resolvedAt > RESOLVED_RETENTION_MS) {
      this.#instances.delete(instance.key);
      update.removed.push(instance.key);
    }
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

function toState(instance: AlertInstance): AlertInstanceState {
  return {
    key: instance.key,
    group: instance.group,
    rule: instance.rule,
    state: instance.state,
    labels: instance.labels,
    annotations: instance.annotations,
    activeAt: instance.activeAt,
    firedAt: instance.firedAt,
    lastEvaluatedAt: instance.lastEvaluatedAt,
    value: instance.value,
  };
}
