import type { Logger } from '../log/logger.ts';
import type { Alert } from './alert.ts';
import { AggregationGroup, type GroupedAlert } from './aggregation-group.ts';
import { buildPayload, formatTime, type WebhookPayload } from './alertmanager-payload.ts';
import type { Inhibitor } from './inhibitor.ts';
import {
  alertSetHash,
  type NotificationLog,
  type NotificationLogEntry,
} from './notification-log.ts';
import { groupLabels, matchRoutes, type Route } from './route.ts';
import type { Silences } from './silence.ts';
import type { TimeIntervals } from './time-intervals.ts';
import type { DeliveryResult } from './webhook-receiver.ts';

/** What a receiver gets besides the payload: the flush time and each alert's rule group. */
export interface NotificationContext {
  /** Engine-clock time of the flush, epoch ms. */
  time: number;
  /** Rule group of each alert, by fingerprint. */
  ruleGroups: Record<string, string>;
}

/** A destination of notifications; `send` must not reject. */
export interface Receiver {
  readonly name: string;
  /**
   * Set for receivers that must hear of firing alerts on every evaluation (Alertmanager push):
   * their groups flush on every batch and resend firing alerts at most this often.
   */
  readonly resendEveryMs?: number;
  send(payload: WebhookPayload, context?: NotificationContext): Promise<DeliveryResult>;
}

export interface DispatcherOptions {
  route: Route;
  receivers: ReadonlyMap<string, Receiver>;
  log: NotificationLog;
  silences: Silences;
  inhibitor: Inhibitor;
  timeIntervals: TimeIntervals;
  externalUrl: string;
  logger: Logger;
}

/**
 * Routes, groups, mutes and sends alerts as Alertmanager does, on the engine's clock. Each
 * batch replaces what is known of its rule group's alerts (an alert missing from a batch is
 * resolved at the batch time), then every group whose flush is due decides from the
 * notification log whether the receiver must hear of it. Delivery runs in the background.
 */
export class Dispatcher {
  readonly #options: DispatcherOptions;
  readonly #byRuleGroup = new Map<string, Map<string, Alert>>();
  readonly #groups = new Map<string, AggregationGroup>();
  readonly #log = new Map<string, NotificationLogEntry>();
  readonly #pending = new Set<Promise<void>>();
  #now = Number.NEGATIVE_INFINITY;
  #restoredRouted = false;

  constructor(options: DispatcherOptions) {
    this.#options = options;
    for (const entry of options.log.loadNotifications()) {
      this.#log.set(logKey(entry.receiver, entry.groupKey), entry);
      for (const { ruleGroup, alert } of entry.firing)
        this.#known(ruleGroup).set(alert.fingerprint, alert);
    }
  }

  /** Takes the alerts of one rule group at `time` and flushes every group that is due. */
  notify(ruleGroup: string, time: number, alerts: readonly Alert[]): void {
    this.#now = Math.max(this.#now, time);
    for (const grouped of this.#update(ruleGroup, time, alerts)) this.#route(grouped);
    this.#routeRestored();

    for (const group of [...this.#groups.values()]) {
      if (this.#now >= group.nextFlushAt) this.#flush(group, this.#now);
    }
  }

  /** Waits until every delivery started so far, and those they start, has finished. */
  async flush(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  #known(ruleGroup: string): Map<string, Alert> {
    let known = this.#byRuleGroup.get(ruleGroup);
    if (known === undefined) {
      known = new Map();
      this.#byRuleGroup.set(ruleGroup, known);
    }
    return known;
  }

  /** Replaces the known alerts of `ruleGroup`; a firing alert left out resolves at `time`. */
  #update(ruleGroup: string, time: number, alerts: readonly Alert[]): GroupedAlert[] {
    const known = this.#known(ruleGroup);
    const next = new Map(alerts.map((alert) => [alert.fingerprint, alert]));
    for (const [fingerprint, alert] of known) {
      if (next.has(fingerprint) || alert.status !== 'firing') continue;
      next.set(fingerprint, { ...alert, status: 'resolved', endsAt: formatTime(time) });
    }
    this.#byRuleGroup.set(ruleGroup, next);
    return [...next.values()].map((alert) => ({ ruleGroup, alert }));
  }

  /** Routes the alerts restored from the notification log once, so their groups exist. */
  #routeRestored(): void {
    if (this.#restoredRouted) return;
    this.#restoredRouted = true;
    for (const [ruleGroup, known] of this.#byRuleGroup) {
      for (const alert of known.values()) this.#route({ ruleGroup, alert });
    }
  }

  #route(grouped: GroupedAlert): void {
    for (const route of matchRoutes(this.#options.route, grouped.alert.labels)) {
      const receiver = this.#options.receivers.get(route.receiver);
      if (receiver === undefined) continue;
      const labels = groupLabels(route, grouped.alert.labels);
      const groupKey = `${route.key}:${JSON.stringify(Object.entries(labels).sort())}`;
      const id = logKey(receiver.name, groupKey);

      let group = this.#groups.get(id);
      if (group === undefined) {
        const wait = receiver.resendEveryMs === undefined ? route.groupWaitMs : 0;
        group = new AggregationGroup(route, labels, groupKey, this.#now, wait);
        this.#groups.set(id, group);
      }
      group.alerts.set(grouped.alert.fingerprint, grouped);
    }
  }

  #flush(group: AggregationGroup, time: number): void {
    if (group.inFlight) {
      group.recheck = true;
      return;
    }
    const receiver = this.#options.receivers.get(group.route.receiver)!;
    const interval = receiver.resendEveryMs === undefined ? group.route.groupIntervalMs : 0;
    group.nextFlushAt = time + interval;
    if (this.#muted(group.route, time)) return;

    const id = logKey(receiver.name, group.groupKey);
    const entry = this.#log.get(id);
    const { firing, resolved } = this.#split(group, time, entry);
    const repeatMs = receiver.resendEveryMs ?? group.route.repeatIntervalMs;
    const previous = new Set(entry?.firing.map((logged) => logged.alert.fingerprint) ?? []);
    const current = new Set(firing.map((grouped) => grouped.alert.fingerprint));
    const changed = !sameSet(previous, current);
    const due = firing.length > 0 && (entry === undefined || time - entry.sentAt >= repeatMs);

    if (!changed && !due) return this.#cleanUp(group, id, []);
    if (firing.length === 0 && resolved.length === 0) {
      this.#forget(id, receiver.name, group.groupKey);
      return this.#cleanUp(group, id, []);
    }
    this.#send(group, receiver, time, firing, resolved);
  }

  /** Firing alerts that are neither silenced nor inhibited, and resolutions the receiver needs. */
  #split(group: AggregationGroup, time: number, entry: NotificationLogEntry | undefined) {
    const { silences, inhibitor } = this.#options;
    const sources = [...this.#byRuleGroup.values()].flatMap((known) => [...known.values()]);
    const wasFiring = new Set(entry?.firing.map((logged) => logged.alert.fingerprint) ?? []);
    const firing: GroupedAlert[] = [];
    const resolved: GroupedAlert[] = [];

    for (const grouped of group.alerts.values()) {
      const { alert } = grouped;
      if (alert.status === 'resolved') {
        if (wasFiring.has(alert.fingerprint)) resolved.push(grouped);
        continue;
      }
      const muted =
        silences.isSilenced(alert.labels, time) || inhibitor.isInhibited(alert, sources);
      if (!muted) firing.push(grouped);
    }
    return { firing, resolved };
  }

  /** True when a mute interval covers `time`, or active intervals are set and none covers it. */
  #muted(route: Route, time: number): boolean {
    const { timeIntervals } = this.#options;
    if (timeIntervals.contains(route.muteTimeIntervals, time)) return true;
    return (
      route.activeTimeIntervals.length > 0 &&
      !timeIntervals.contains(route.activeTimeIntervals, time)
    );
  }

  #send(
    group: AggregationGroup,
    receiver: Receiver,
    time: number,
    firing: GroupedAlert[],
    resolved: GroupedAlert[],
  ): void {
    const sent = [...firing, ...resolved];
    const payload = buildPayload({
      receiver: receiver.name,
      groupLabels: group.labels,
      alerts: sent.map((grouped) => grouped.alert),
      externalUrl: this.#options.externalUrl,
      routeKey: group.route.key,
    });
    const ruleGroups = Object.fromEntries(sent.map((g) => [g.alert.fingerprint, g.ruleGroup]));
    const resolvedIds = resolved.map((grouped) => grouped.alert.fingerprint);
    const id = logKey(receiver.name, group.groupKey);

    group.inFlight = true;
    const delivery = receiver
      .send(payload, { time, ruleGroups })
      .catch((error: unknown): DeliveryResult => {
        this.#options.logger.error({ err: error, receiver: receiver.name }, 'receiver rejected');
        return { delivered: false, attempts: 0, status: 0 };
      })
      .then((result) => {
        group.inFlight = false;
        if (result.delivered)
          this.#record(receiver.name, group.groupKey, time, firing, resolvedIds);
        this.#cleanUp(group, id, result.delivered ? resolvedIds : []);
        if (group.recheck) {
          group.recheck = false;
          this.#flush(group, this.#now);
        }
      });
    const tracked: Promise<void> = delivery.finally(() => this.#pending.delete(tracked));
    this.#pending.add(tracked);
  }

  #record(
    receiver: string,
    groupKey: string,
    time: number,
    firing: GroupedAlert[],
    resolved: string[],
  ): void {
    if (firing.length === 0) return this.#forget(logKey(receiver, groupKey), receiver, groupKey);
    const fingerprints = firing.map((grouped) => grouped.alert.fingerprint);
    const entry: NotificationLogEntry = {
      receiver,
      groupKey,
      firing: firing.map(({ ruleGroup, alert }) => ({ ruleGroup, alert })),
      resolved,
      hash: alertSetHash(fingerprints, resolved),
      sentAt: time,
    };
    this.#log.set(logKey(receiver, groupKey), entry);
    this.#options.log.saveNotification(entry);
  }

  #forget(id: string, receiver: string, groupKey: string): void {
    if (!this.#log.delete(id)) return;
    this.#options.log.deleteNotification(receiver, groupKey);
  }

  /** Drops sent resolutions and resolved alerts the receiver never heard of; empty groups go. */
  #cleanUp(group: AggregationGroup, id: string, sentResolved: string[]): void {
    if (group.inFlight) return;
    group.dropResolved(sentResolved);
    const wasFiring = new Set(this.#log.get(id)?.firing.map((l) => l.alert.fingerprint) ?? []);
    const unsent = [...group.alerts.values()]
      .filter((grouped) => !wasFiring.has(grouped.alert.fingerprint))
      .map((grouped) => grouped.alert.fingerprint);
    group.dropResolved(unsent);
    if (group.alerts.size === 0 && this.#groups.get(id) === group) this.#groups.delete(id);
  }
}

function logKey(receiver: string, groupKey: string): string {
  return JSON.stringify([receiver, groupKey]);
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const item of a) if (!b.has(item)) return false;
  return true;
}
