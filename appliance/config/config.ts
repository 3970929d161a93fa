/** The validated appliance configuration, with every default filled in. Durations are ms. */
export interface ApplianceConfig {
  http: {
    host: string;
    port: number;
    /** Largest accepted request body. */
    bodyLimitBytes: number;
  };
  store: {
    kind: 'sqlite';
    /** Directory of the embedded store; the database file is `vigil.db` inside it. */
    path: string;
    /** Events, points and results older than this are pruned. */
    retentionMs: number;
  };
  ingest: {
    /** Records waiting for a commit before new requests get 429. */
    maxQueueRecords: number;
    /** Largest number of records in one request. */
    maxBatchRecords: number;
  };
  windows: {
    /** Width of the tumbling buckets window state keeps; rule windows are unions of buckets. */
    bucketMs: number;
    /** How far back window state keeps buckets in memory. */
    horizonMs: number;
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
  };
  log: {
    level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
  };
}

export interface ReceiverConfig {
  name: string;
  kind: 'webhook';
  url: string;
  timeoutMs: number;
  /** Attempts per notification, the first included, before it counts as failed. */
  maxAttempts: number;
  /** First retry delay; doubles on each retry up to `maxBackoffMs`, with jitter. */
  initialBackoffMs: number;
  maxBackoffMs: number;
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
