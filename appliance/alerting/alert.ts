/** The states of one alert instance (one rule and one labelset), as in Prometheus. */
export type AlertState = 'inactive' | 'pending' | 'firing';

/** The persisted state of an alert instance; enough to resume after a restart. */
export interface AlertInstanceState {
  /** Stable key: the rule's group and name plus the sorted labelset. */
  key: string;
  group: string;
  rule: string;
  state: AlertState;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Evaluation time the condition was first seen true in this episode, epoch ms. */
  activeAt: number;
  /** When the alert started firing, epoch ms; 0 while pending. */
  firedAt: number;
  /** Evaluation time of the last update. */
  lastEvaluatedAt: number;
  value: number;
  /** Start of the current `keep_firing_for` hold, epoch ms; 0 or absent when not held. */
  keepFiringSince?: number;
  /** Consecutive evaluations a pending instance missed, counted against the rule's tolerance. */
  missedEvaluations?: number;
  /** What made the condition true at the last active evaluation; absent means `value`. */
  cause?: AlertCause;
}

/**
 * Why an instance is active: a comparison on finite numbers (`value`), one on ±Inf (`inf`),
 * NaN counted as true by the rule's NaN policy (`nan`), or the no-data or error policy.
 */
export type AlertCause = 'value' | 'inf' | 'nan' | 'nodata' | 'error';

export type AlertTransition = 'pending' | 'firing' | 'resolved';

export interface AlertHistoryEntry {
  timestamp: number;
  key: string;
  group: string;
  rule: string;
  transition: AlertTransition;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  value: number;
}

/** An alert as handed to receivers; the field names follow Alertmanager's webhook payload. */
export interface Alert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** RFC 3339 times. */
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}
