import type { ApplianceConfig } from './config.ts';
import { parseDuration } from './duration.ts';

type RemoteStoreConfig = NonNullable<ApplianceConfig['store']['remote']>;
type Section = Record<string, unknown>;

/**
 * Reads `store.series`, `store.documents`, `store.drain_timeout` and `store.outbox_max_bytes`
 * from a schema-valid `store` section (`${NAME}` is already substituted). Returns undefined when
 * neither role is set, so the embedded store stays the only one.
 */
export function remoteStoresFromSection(store: Section): RemoteStoreConfig | undefined {
  const series = store.series as Section | undefined;
  const documents = store.documents as Section | undefined;
  if (series === undefined && documents === undefined) return undefined;

  const config: RemoteStoreConfig = {};
  if (series !== undefined) {
    config.series = {
      kind: 'influx',
      url: series.url as string,
      database: (series.database as string | undefined) ?? 'vigil',
    };
    if (series.retention !== undefined) config.series.retention = series.retention as string;
  }
  if (documents !== undefined) {
    config.documents = {
      kind: documents.kind as 'opensearch' | 'elasticsearch',
      url: documents.url as string,
    };
    if (documents.prefix !== undefined) config.documents.prefix = documents.prefix as string;
  }
  const maxBytes = store.outbox_max_bytes as number | undefined;
  if (maxBytes !== undefined) config.outboxMaxBytes = maxBytes;
  const drainTimeout = parseDuration((store.drain_timeout as string | undefined) ?? '');
  if (drainTimeout !== undefined) config.drainTimeoutMs = drainTimeout;
  return config;
}

/**
 * Reads `VIGIL_STORE=influx+opensearch` (or `+elasticsearch`) with `INFLUX_URL`,
 * `INFLUX_DATABASE` (default `vigil`), `INFLUX_RETENTION` (default `30d`), `OPENSEARCH_URL` or
 * `ELASTICSEARCH_URL`, and `DOCUMENT_STREAM_PREFIX` (default `vigil`). A role whose URL is unset
 * is left out. Returns undefined when `VIGIL_STORE` is unset or names no role. The values are
 * checked when the stores start, not here.
 */
export function remoteStoresFromEnv(env: NodeJS.ProcessEnv): RemoteStoreConfig | undefined {
  const roles = (env.VIGIL_STORE ?? '').split('+').map((role) => role.trim());
  const config: RemoteStoreConfig = {};
  if (roles.includes('influx') && env.INFLUX_URL) {
    const database = env.INFLUX_DATABASE ?? 'vigil';
    config.series = { kind: 'influx', url: env.INFLUX_URL, database };
    if (env.INFLUX_RETENTION) config.series.retention = env.INFLUX_RETENTION;
  }
  if (roles.includes('opensearch') && env.OPENSEARCH_URL) {
    config.documents = { kind: 'opensearch', url: env.OPENSEARCH_URL };
  }
  if (roles.includes('elasticsearch') && env.ELASTICSEARCH_URL) {
    config.documents = { kind: 'elasticsearch', url: env.ELASTICSEARCH_URL };
  }
  if (config.documents && env.DOCUMENT_STREAM_PREFIX) {
    config.documents.prefix = env.DOCUMENT_STREAM_PREFIX;
  }
  return config.series === undefined && config.documents === undefined ? undefined : config;
}
