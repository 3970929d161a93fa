import { InfluxDB } from 'influx';
import type { Logger } from '../../log/logger.ts';

export interface InfluxSetupOptions {
  database: string;
  /** Retention of raw points (the default policy), an InfluxQL duration. Default `30d`. */
  rawRetention?: string;
  /** Retention of the downsampled copy. Default `400d`. */
  downsampledRetention?: string;
  /** Downsampling interval of the continuous query. Default `5m`. */
  downsampleInterval?: string;
}

export const RAW_POLICY = 'raw';
export const DOWNSAMPLED_POLICY = 'downsampled';
export const DOWNSAMPLE_QUERY = 'vigil_downsample';

const DURATION = /^(\d+(ns|u|µ|ms|s|m|h|d|w)|INF)$/;

/**
 * Creates the database, the two retention policies and the downsampling continuous query, and
 * may run at every start: a policy that exists is altered to the configured duration, and a
 * continuous query whose text changed is dropped and created again (InfluxDB 1.x cannot alter
 * one). The query averages every numeric field of every measurement of `raw` into the same
 * measurement in `downsampled`, keeping all tags (`GROUP BY *`).
 */
export async function ensureInfluxLayout(
  influx: InfluxDB,
  options: InfluxSetupOptions,
  logger: Logger,
): Promise<void> {
  const { database } = options;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(database)) {
    throw new RangeError(
      `database must match [A-Za-z_][A-Za-z0-9_]* (got ${JSON.stringify(database)})`,
    );
  }
  const raw = checkDuration('rawRetention', options.rawRetention ?? '30d');
  const downsampled = checkDuration('downsampledRetention', options.downsampledRetention ?? '400d');
  const interval = checkDuration('downsampleInterval', options.downsampleInterval ?? '5m');

  await influx.createDatabase(database);
  await ensurePolicy(influx, database, RAW_POLICY, raw, true);
  await ensurePolicy(influx, database, DOWNSAMPLED_POLICY, downsampled, false);

  const query =
    `SELECT mean(*) INTO "${database}"."${DOWNSAMPLED_POLICY}".:MEASUREMENT ` +
    `FROM "${database}"."${RAW_POLICY}"./.*/ GROUP BY time(${interval}), *`;
  await ensureContinuousQuery(influx, database, query);
  logger.info({ database, raw, downsampled, interval }, 'influx layout ready');
}

async function ensurePolicy(
  influx: InfluxDB,
  database: string,
  name: string,
  duration: string,
  isDefault: boolean,
): Promise<void> {
  const existing = await influx.showRetentionPolicies(database);
  const options = { database, duration, replication: 1, isDefault };
  if (existing.some((policy) => policy.name === name)) {
    await influx.alterRetentionPolicy(name, options);
  } else {
    await influx.createRetentionPolicy(name, options);
  }
}

async function ensureContinuousQuery(influx: InfluxDB, database: string, query: string) {
  const existing = await influx.showContinousQueries(database);
  const current = existing.find((cq) => cq.name === DOWNSAMPLE_QUERY);
  const unquoted = (text: string) => text.replace(/"/g, '');
  if (current && unquoted(current.query).includes(unquoted(query))) return;
  if (current) await influx.dropContinuousQuery(DOWNSAMPLE_QUERY, database);
  await influx.createContinuousQuery(DOWNSAMPLE_QUERY, query, database);
}

function checkDuration(field: string, value: string): string {
  if (!DURATION.test(value)) {
    throw new RangeError(
      `${field} must be an InfluxQL duration such as 30d or INF (got ${JSON.stringify(value)})`,
    );
  }
  return value;
}

/** A node-influx client for one URL whose pool does not retry: the batch writer does. */
export function createInfluxClient(url: string, database: string, requestTimeoutMs = 10_000) {
  const parsed = new URL(url);
  return new InfluxDB({
    host: parsed.hostname,
    port: Number(parsed.port || 8086),
    protocol: parsed.protocol === 'https:' ? 'https' : 'http',
    database,
    username: decodeCredential(parsed.username) || undefined,
    password: decodeCredential(parsed.password) || undefined,
    pool: { maxRetries: 0, requestTimeout: requestTimeoutMs },
  });
}

/**
 * Decodes a URL's user name or password, because WHATWG URL keeps the percent-encoding that
 * "@", ":" and "/" need there. A "%" that starts no valid escape is kept as written.
 */
function decodeCredential(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
