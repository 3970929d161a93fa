import type { CollectorSpec } from '../../collectors/collectors-config.ts';

/** The validated appliance configuration, with every default filled in. Durations are ms. */
export interface ApplianceConfig {
  http: {
    host: string;
    port: number;
    /** Largest accepted request body. */
    bodyLimitBytes: number;
    /** Native HTTPS; absent means plain HTTP, with TLS left to a reverse proxy. */
    tls?: { certFile: string; keyFile: string };
    /** Token bucket per API token (per client address with no tokens); absent means no limit. */
    rateLimit?: { requestsPerSecond: number; burst: number };
  };
  auth: {
    /** Bearer tokens; an empty list leaves the API open to whoever reaches `http.host`. */
    tokens: { name: string; token: string; scopes: ('ingest' | 'read' | 'admin')[] }[];
    /** `GET /metrics` needs no token. */
    openMetrics: boolean;
    /** `GET /healthz` and `GET /readyz` need no token. */
    openHealth: boolean;
  };
  store: {
    kind: 'sqlite';
    /** Directory of the embedded store; the database file is `vigil.db` inside it. */
    path: string;
    /** Events, points and results older than this are pruned. */
    retentionMs: number;
    /**
     * Remote stores fed through a durable outbox beside the embedded store; absent keeps the
     * embedded store the only one. Set by `store.series` and `store.documents`, or `VIGIL_STORE`.
     */
    remote?: {
      series?: {
        kind: 'influx';
        url: string;
        database: string;
        /**
         * Retention of raw points, an InfluxQL duration such as `30d` or `INF`. Default `30d`.
         * InfluxDB rejects points older than it, so a replay of history needs `INF` or longer.
         */
        retention?: string;
      };
      /** `prefix` names the data streams `<prefix>-events` and so on. Default `vigil`. */
      documents?: { kind: 'opensearch' | 'elasticsearch'; url: string; prefix?: string };
      /** Payload bytes the outbox holds before ingest gets 503. Default 256 MiB. */
      outboxMaxBytes?: number;
      /** Maximum wait on close for the outbox to drain, ms; the rest stays queued. Default 5000. */
      drainTimeoutMs?: number;
    };
  };
  ingest: {
    /** Records waiting for a commit before new requests get 429. */
    maxQueueRecords: number;
    /** Largest number of records in one request. */
    maxBatchRecords: number;
    /** Features in one event. */
    maxFeatures: number;
    /** Characters in one string value (feature, prediction, actual, label value). */
    maxStringLength: number;
    /** Labels on one series point. */
    maxLabels: number;
  };
  /** Bounds on distinct keys; past one, records that would add a key are rejected. */
  cardinality: {
    maxStreams: number;
    maxMetrics: number;
    maxSeriesPerMetric: number;
    maxLabelValuesPerLabel: number;
    maxCategoriesPerFeature: number;
  };
  windows: {
    /** Width of the tumbling buckets window state keeps; rule windows are unions of buckets. */
    bucketMs: number;
    /** How far back window state keeps buckets in memory. */
    horizonMs: number;
    /** Maximum number of events window state keeps in memory; older reads go to the store. */
    maxEvents: number;
    /** Maximum number of series points window state keeps in memory. */
    maxPoints: number;
  };
  rules: {
    /** Rule files or directories of `*.yaml` / `*.yml` files. */
    paths: string[];
    /** `wall` evaluates on the wall clock; `event` when the data's event time passes. */
    clock: 'wall' | 'event';
  };
  alerting: {
    /** Base URL put into `generatorURL` and `externalURL` of notifications. */
    externalUrl: string;
    receivers: ReceiverConfig[];
    /** The routing tree; absent means every receiver gets every alert, grouped by alertname. */
    route?: RouteConfig;
    inhibitRules?: InhibitRuleConfig[];
    timeIntervals?: TimeIntervalConfig[];
  };
  /** Collectors started with the appliance; absent starts none. */
  collectors?: CollectorSpec[];
  log: {
    level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
  };
}

export interface ReceiverConfig {
  name: string;
  /**
   * `webhook`: Alertmanager's version 4 payload; `alertmanager`: push to an Alertmanager's
   * `POST /api/v2/alerts` (`url` is its base URL); `slack`: an incoming webhook `{ text, blocks }`;
   * `retrain`: a retraining trigger with the evidence of each firing alert.
   */
  kind: 'webhook' | 'alertmanager' | 'slack' | 'retrain';
  url: string;
  /** `retrain` only: time after a trigger during which the same rule does not trigger again. */
  cooldownMs?: number;
  timeoutMs: number;
  /** Attempts per notification, the first included, before it counts as failed. */
  maxAttempts: number;
  /** First retry delay; doubles on each retry up to `maxBackoffMs`, with jitter. */
  initialBackoffMs: number;
  maxBackoffMs: number;
}

/** One node of the routing tree, as Alertmanager's `route`; unset fields inherit the parent's. */
export interface RouteConfig {
  receiver?: string;
  /** Label names, or `['...']` for one group per distinct labelset. */
  groupBy?: string[];
  /** Matchers such as `severity="critical"`, `team=~"ml|data"`. */
  matchers: string[];
  continue: boolean;
  groupWaitMs?: number;
  groupIntervalMs?: number;
  repeatIntervalMs?: number;
  muteTimeIntervals: string[];
  activeTimeIntervals: string[];
  routes: RouteConfig[];
}

/** Mutes target alerts while a source alert with the same `equal` label values fires. */
export interface InhibitRuleConfig {
  sourceMatchers: string[];
  targetMatchers: string[];
  equal: string[];
}

/** A named set of time ranges, as Alertmanager's `time_intervals`. */
export interface TimeIntervalConfig {
  name: string;
  intervals: TimeRangeSpec[];
}

/** One `time_intervals` entry; every given field must match, an absent one matches always. */
export interface TimeRangeSpec {
  /** Minutes of the day, [start, end), from `HH:MM` pairs; end may be 24:00 = 1440. */
  times?: { startMinute: number; endMinute: number }[];
  /** Inclusive ranges of days, 0 = Sunday. */
  weekdays?: [number, number][];
  /** Inclusive ranges; negative counts from the end of the month (-1 = the last day). */
  daysOfMonth?: [number, number][];
  /** Inclusive ranges of months, 1 = January. */
  months?: [number, number][];
  years?: [number, number][];
  /** IANA time zone; default UTC. */
  location: string;
}

/** A problem found in a configuration or rule file, reported as `file:line:column: path: message`. */
export interface Problem {
  file: string;
  line: number;
  column: number;
  /** JSON-pointer-like path of the offending key, such as `groups[0].rules[2].for`. */
  path: string;
  message: string;
  severity: 'error' | 'warning';
}

export function formatProblem(problem: Problem): string {
  const where = `${problem.file}:${problem.line}:${problem.column}`;
  const path = problem.path === '' ? '' : ` ${problem.path}:`;
  const level = problem.severity === 'warning' ? ' warning:' : '';
  return `${where}:${level}${path} ${problem.message}`;
}
