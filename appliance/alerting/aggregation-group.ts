import type { Alert } from './alert.ts';
import type { Route } from './route.ts';

/** An alert held by a group, with the rule group that produced it. */
export interface GroupedAlert {
  ruleGroup: string;
  alert: Alert;
}

/**
 * The alerts of one route with the same group labels, as Alertmanager's aggregation group.
 * Times are the engine's clock: the first flush is due `group_wait` after the group was
 * created and later ones `group_interval` after the previous flush. Repeats are only checked
 * at flushes, so a `repeat_interval` takes effect rounded up to a multiple of the interval.
 */
export class AggregationGroup {
  readonly alerts = new Map<string, GroupedAlert>();
  nextFlushAt: number;
  /** A delivery of this group is running; a flush meanwhile only sets `recheck`. */
  inFlight = false;
  recheck = false;

  constructor(
    readonly route: Route,
    readonly labels: Record<string, string>,
    readonly groupKey: string,
    createdAt: number,
    groupWaitMs: number,
  ) {
    this.nextFlushAt = createdAt + groupWaitMs;
  }

  /** Removes the given resolved alerts, unless they fire again since. */
  dropResolved(fingerprints: Iterable<string>): void {
    for (const fingerprint of fingerprints) {
      if (this.alerts.get(fingerprint)?.alert.status === 'resolved')
        this.alerts.delete(fingerprint);
    }
  }
}
