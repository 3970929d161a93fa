import type { ApplianceConfig } from './config.ts';

type RemoteStoreConfig = NonNullable<ApplianceConfig['store']['remote']>;
type Section = Record<string, unknown>;

/**
 * Reads `store.series`, `store.documents` and `store.outbox_max_bytes` from a schema-valid
 * `store` section (`${NAME}` is already substituted). Returns undefined when neither role is
 * set, so the embedded store stays the only one.
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
  }
  if (documents !== undefined) {
    config.documents = {
      kind: documents.kind as 'opensearch' | 'elasticsearch',
      url: documents.url as string,
    };
  }
  const maxBytes = store.outbox_max_bytes as number | undefined;
  if (maxBytes !== undefined) config.outboxMaxBytes = maxBytes;
  return config;
}

/**
 * Reads `VIGIL_STORE=influx+opensearch` (or `+elasticsearch`) with `INFLUX_URL`,
 * `INFLUX_DATABASE` (default `vigil`) and `OPENSEARCH_URL` or `ELASTICSEARCH_URL`. A role whose
 * URL is unset is left out. Returns undefined when `VIGIL_STORE` is unset or names no role.
 */
export function remoteStoresFromEnv(env: NodeJS.ProcessEnv): RemoteStoreConfig | undefined {
  const roles = (env.VIGIL_STORE ?? '').split('+').map((role) => role.trim());
  const config: RemoteStoreConfig = {};
  if (roles.includes('influx') && env.INFLUX_URL) {
    const database = env.INFLUX_DATABASE ?? 'vigil';
    config.series = { kind: 'influx', url: env.INFLUX_URL, database };
  }
  if (roles.includes('opensearch') && env.OPENSEARCH_URL) {
    config.documents = { kind: 'opensearch', url: env.OPENSEARCH_URL };
  }
  if (roles.includes('elasticsearch') && env.ELASTICSEARCH_URL) {
    config.documents = { kind: 'elasticsearch', url: env.ELASTICSEARCH_URL };
  }
  return config.series === undefined && config.documents === undefined ? undefined : config;
}
