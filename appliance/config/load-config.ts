import { dirname, resolve } from 'node:path';
import { remoteStoresFromEnv, remoteStoresFromSection } from './remote-store-config.ts';
import type { ApplianceConfig, Problem, ReceiverConfig } from './config.ts';
import { collectorsFromSection } from '../../collectors/collectors-config.ts';
import { parseDuration } from './duration.ts';
import { buildInhibitRule, buildRouteConfig, buildTimeInterval } from './alerting-config.ts';
import { alertingProblems } from './alerting-problems.ts';
import schema from './appliance.schema.json' with { type: 'json' };
import { createSchemaValidator, validateWithSchema } from './schema-validation.ts';
import { problemAt, type ParsedYaml } from './yaml-document.ts';
import { readYamlFile } from './yaml-pipeline.ts';

/**
 * Loads `appliance.yaml`: from `options.path`, else from `VIGIL_CONFIG`, else no file and every
 * default. This is the one module that reads the process environment, through `options.env`.
 * Relative paths in the file resolve against the file's directory, or `cwd` with no file.
 * The returned config is always complete; callers refuse to start when a problem is an error.
 */

/** Default HTTP port, documented in docs/configuration.md. */
export const defaultPort = 9680;

const defaults = {
  host: '127.0.0.1',
  port: defaultPort,
  bodyLimitBytes: 16 * 1024 * 1024,
  storePath: './data',
  retention: '400d',
  maxQueueRecords: 200_000,
  maxBatchRecords: 50_000,
  maxFeatures: 1_000,
  maxStringLength: 1_024,
  maxLabels: 32,
  bucket: '5m',
  horizon: '35d',
  windowMaxEvents: 1_000_000,
  windowMaxPoints: 4_000_000,
  rulePaths: ['./rules'],
  receiver: { timeout: '10s', maxAttempts: 5, initialBackoff: '1s', maxBackoff: '1m' },
} as const;

const validate = createSchemaValidator().compile(schema);

type Section = Record<string, unknown>;

export function loadConfig(options: { path?: string; env: NodeJS.ProcessEnv; cwd: string }): {
  config: ApplianceConfig;
  problems: Problem[];
  file?: string;
} {
  const loaded = loadConfigFile(options);
  // VIGIL_STORE picks the remote stores over the file's store.series and store.documents.
  // The file's outbox settings still apply to the stores it picks.
  const remote = remoteStoresFromEnv(options.env);
  if (remote !== undefined) {
    const fromFile = loaded.config.store.remote;
    if (fromFile?.outboxMaxBytes !== undefined) remote.outboxMaxBytes = fromFile.outboxMaxBytes;
    if (fromFile?.drainTimeoutMs !== undefined) remote.drainTimeoutMs = fromFile.drainTimeoutMs;
    loaded.config.store.remote = remote;
  }
  return loaded;
}

function loadConfigFile(options: { path?: string; env: NodeJS.ProcessEnv; cwd: string }): {
  config: ApplianceConfig;
  problems: Problem[];
  file?: string;
} {
  const named = options.path ?? options.env.VIGIL_CONFIG;
  if (named === undefined || named === '') {
    return { config: buildConfig({}, options.cwd), problems: [] };
  }

  const file = resolve(options.cwd, named);
  const { yaml, problems } = readYamlFile(file, options.env);
  if (yaml === undefined || yaml.value === undefined) {
    return { config: buildConfig({}, dirname(file)), problems, file };
  }

  const value = yaml.value ?? {};
  const schemaProblems = validateWithSchema(yaml.parsed, value, validate);
  problems.push(...schemaProblems);
  if (schemaProblems.length > 0 || !isSection(value)) {
    return { config: buildConfig({}, dirname(file)), problems, file };
  }

  problems.push(...crossFieldProblems(yaml.parsed, value));
  const config = buildConfig(value, dirname(file));
  const collectors = collectorsFromSection(
    value.collectors,
    yaml.parsed,
    dirname(file),
    config.store.path,
  );
  problems.push(...collectors.problems);
  if (collectors.specs.length > 0) config.collectors = collectors.specs;
  return { config, problems, file };
}

/** Builds the config from schema-valid data, filling defaults. */
function buildConfig(raw: Section, base: string): ApplianceConfig {
  const http = section(raw, 'http');
  const store = section(raw, 'store');
  const ingest = section(raw, 'ingest');
  const windows = section(raw, 'windows');
  const rules = section(raw, 'rules');
  const alerting = section(raw, 'alerting');
  const log = section(raw, 'log');
  const auth = section(raw, 'auth');
  const cardinality = section(raw, 'cardinality');
  const port = (http.port as number | undefined) ?? defaults.port;
  const host = (http.host as string | undefined) ?? defaults.host;

  return {
    http: {
      host,
      port,
      bodyLimitBytes: (http.body_limit_bytes as number | undefined) ?? defaults.bodyLimitBytes,
      ...buildHttpSecurity(http, base),
    },
    auth: {
      tokens: ((auth.tokens as Section[] | undefined) ?? []).map((token) => ({
        name: token.name as string,
        token: token.token as string,
        scopes: token.scopes as ApplianceConfig['auth']['tokens'][number]['scopes'],
      })),
      openMetrics: (auth.open_metrics as boolean | undefined) ?? false,
      openHealth: (auth.open_health as boolean | undefined) ?? true,
    },
    store: {
      kind: 'sqlite',
      path: resolve(base, (store.path as string | undefined) ?? defaults.storePath),
      retentionMs: duration(store.retention, defaults.retention),
      ...optionalRemote(remoteStoresFromSection(store)),
    },
    ingest: {
      maxQueueRecords: (ingest.max_queue_records as number | undefined) ?? defaults.maxQueueRecords,
      maxBatchRecords: (ingest.max_batch_records as number | undefined) ?? defaults.maxBatchRecords,
      maxFeatures: (ingest.max_features as number | undefined) ?? defaults.maxFeatures,
      maxStringLength: (ingest.max_string_length as number | undefined) ?? defaults.maxStringLength,
      maxLabels: (ingest.max_labels as number | undefined) ?? defaults.maxLabels,
    },
    cardinality: {
      maxStreams: (cardinality.max_streams as number | undefined) ?? 1_000,
      maxMetrics: (cardinality.max_metrics as number | undefined) ?? 1_000,
      maxSeriesPerMetric: (cardinality.max_series_per_metric as number | undefined) ?? 10_000,
      maxLabelValuesPerLabel:
        (cardinality.max_label_values_per_label as number | undefined) ?? 10_000,
      maxCategoriesPerFeature:
        (cardinality.max_categories_per_feature as number | undefined) ?? 1_000,
    },
    windows: {
      bucketMs: duration(windows.bucket, defaults.bucket),
      horizonMs: duration(windows.horizon, defaults.horizon),
      maxEvents: (windows.max_events as number | undefined) ?? defaults.windowMaxEvents,
      maxPoints: (windows.max_points as number | undefined) ?? defaults.windowMaxPoints,
    },
    rules: {
      paths: ((rules.paths as string[] | undefined) ?? defaults.rulePaths).map((path) =>
        resolve(base, path),
      ),
      clock: (rules.clock as 'wall' | 'event' | undefined) ?? 'wall',
    },
    alerting: {
      externalUrl: (alerting.external_url as string | undefined) ?? `http://${host}:${port}`,
      receivers: ((alerting.receivers as Section[] | undefined) ?? []).map(buildReceiver),
      ...(isSection(alerting.route) ? { route: buildRouteConfig(alerting.route) } : {}),
      ...optionalList('inhibitRules', alerting.inhibit_rules, buildInhibitRule),
      ...optionalList('timeIntervals', alerting.time_intervals, buildTimeInterval),
    },
    log: { level: (log.level as ApplianceConfig['log']['level'] | undefined) ?? 'info' },
  };
}

/** `tls` and `rateLimit` of the `http` section, present only when configured. */
function buildHttpSecurity(http: Section, base: string): Partial<ApplianceConfig['http']> {
  const tls = section(http, 'tls');
  const rate = section(http, 'rate_limit');
  const built: Partial<ApplianceConfig['http']> = {};
  if (typeof tls.cert_file === 'string' && typeof tls.key_file === 'string') {
    built.tls = { certFile: resolve(base, tls.cert_file), keyFile: resolve(base, tls.key_file) };
  }
  if (typeof rate.requests_per_second === 'number') {
    const perSecond = rate.requests_per_second;
    built.rateLimit = {
      requestsPerSecond: perSecond,
      burst: (rate.burst as number | undefined) ?? Math.ceil(perSecond),
    };
  }
  return built;
}

function buildReceiver(raw: Section): ReceiverConfig {
  const fallback = defaults.receiver;
  return {
    name: raw.name as string,
    kind: (raw.kind as ReceiverConfig['kind'] | undefined) ?? 'webhook',
    url: raw.url as string,
    ...(raw.cooldown === undefined ? {} : { cooldownMs: duration(raw.cooldown, '24h') }),
    timeoutMs: duration(raw.timeout, fallback.timeout),
    maxAttempts: (raw.max_attempts as number | undefined) ?? fallback.maxAttempts,
    initialBackoffMs: duration(raw.initial_backoff, fallback.initialBackoff),
    maxBackoffMs: duration(raw.max_backoff, fallback.maxBackoff),
  };
}

/** Checks relations the schema cannot express. */
function crossFieldProblems(parsed: ParsedYaml, raw: Section): Problem[] {
  const problems: Problem[] = [];
  const windows = section(raw, 'windows');
  const bucketMs = duration(windows.bucket, defaults.bucket);
  const horizonMs = duration(windows.horizon, defaults.horizon);

  if (bucketMs === 0) {
    problems.push(problemAt(parsed, ['windows', 'bucket'], 'got 0, expected a duration above 0'));
  } else if (horizonMs < bucketMs || horizonMs % bucketMs !== 0) {
    const message = `got ${String(windows.horizon ?? defaults.horizon)}, expected a whole multiple of windows.bucket (${String(windows.bucket ?? defaults.bucket)})`;
    problems.push(problemAt(parsed, ['windows', 'horizon'], message));
  }

  const receivers = (section(raw, 'alerting').receivers as Section[] | undefined) ?? [];
  const seen = new Set<string>();
  receivers.forEach((receiver, index) => {
    const name = receiver.name as string;
    if (seen.has(name)) {
      const message = `duplicate receiver name "${name}"; give each receiver its own name`;
      problems.push(problemAt(parsed, ['alerting', 'receivers', index, 'name'], message));
    }
    seen.add(name);

    const initial = duration(receiver.initial_backoff, defaults.receiver.initialBackoff);
    const max = duration(receiver.max_backoff, defaults.receiver.maxBackoff);
    if (initial > max) {
      const message = `initial_backoff is longer than max_backoff (${String(receiver.max_backoff ?? defaults.receiver.maxBackoff)}); shorten it or raise max_backoff`;
      problems.push(
        problemAt(parsed, ['alerting', 'receivers', index, 'initial_backoff'], message),
      );
    }
  });
  problems.push(...alertingProblems(parsed, section(raw, 'alerting'), seen));
  problems.push(...tokenProblems(parsed, section(raw, 'auth')));
  return problems;
}

/**
 * Rejects two tokens with the same secret: the first match wins at authentication, so the
 * second entry's scopes would never apply. The message names the entries, never the secret.
 */
function tokenProblems(parsed: ParsedYaml, auth: Section): Problem[] {
  const problems: Problem[] = [];
  const tokens = (auth.tokens as Section[] | undefined) ?? [];
  const firstWith = new Map<string, string>();
  tokens.forEach((token, index) => {
    const secret = token.token as string;
    const earlier = firstWith.get(secret);
    if (earlier !== undefined) {
      const message = `token "${String(token.name)}" has the same secret as token "${earlier}"; give each token its own secret`;
      problems.push(problemAt(parsed, ['auth', 'tokens', index, 'token'], message));
      return;
    }
    firstWith.set(secret, String(token.name));
  });
  return problems;
}

/** `{ [key]: built items }` when the list is present, else `{}` so defaults stay minimal. */
function optionalList<T>(key: string, value: unknown, build: (raw: Section) => T) {
  return Array.isArray(value) ? { [key]: (value as Section[]).map(build) } : {};
}

function section(raw: Section, key: string): Section {
  const value = raw[key];
  return isSection(value) ? value : {};
}

function isSection(value: unknown): value is Section {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function duration(value: unknown, fallback: string): number {
  return parseDuration(typeof value === 'string' ? value : fallback) ?? 0;
}

function optionalRemote(remote: ApplianceConfig['store']['remote']) {
  return remote === undefined ? {} : { remote };
}
