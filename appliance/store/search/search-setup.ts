import type { Client } from '@elastic/elasticsearch';
import type { Logger } from '../../log/logger.ts';
import type { SearchFlavor } from './search-client.ts';
import { DOCUMENT_KINDS, dataStreamName, mappingFor, type DocumentKind } from './search-layout.ts';

export interface SearchLayoutOptions {
  flavor: SearchFlavor;
  /** Data stream names are `<prefix>-<kind>`. Default `vigil`. */
  prefix?: string;
  /** Days a document is kept before its backing index is deleted. Default 30. */
  retentionDays?: number;
  /** Elasticsearch only: `ilm` (policy per kind) or `data-stream` (`template.lifecycle`). */
  elasticLifecycle?: 'ilm' | 'data-stream';
}

/** The removal of old documents in effect; `unavailable` keeps them until an operator deletes them. */
export type LifecycleState =
  { kind: 'ilm' | 'data-stream' | 'ism' } | { kind: 'unavailable'; reason: string };

/**
 * Creates the lifecycle policies and one composable index template per kind, idempotently, and
 * returns the lifecycle in effect. A missing ISM plugin on OpenSearch is reported, not thrown:
 * documents are still written, only their deletion after `retentionDays` is not automatic.
 */
export async function ensureSearchLayout(
  client: Client,
  options: SearchLayoutOptions,
  logger: Logger,
): Promise<LifecycleState> {
  const prefix = options.prefix ?? 'vigil';
  const days = options.retentionDays ?? 30;
  const mode = options.elasticLifecycle ?? 'ilm';
  let lifecycle: LifecycleState;

  if (options.flavor === 'opensearch') lifecycle = await ensureIsm(client, prefix, days);
  else if (mode === 'ilm') lifecycle = await ensureIlm(client, prefix, days);
  else lifecycle = { kind: 'data-stream' };

  for (const kind of DOCUMENT_KINDS) {
    await client.indices.putIndexTemplate({
      name: dataStreamName(kind, prefix),
      index_patterns: [`${dataStreamName(kind, prefix)}*`],
      data_stream: {},
      // Above 100, so Elasticsearch's built-in templates never win over these.
      priority: 200,
      template: templateBody(kind, prefix, days, options.flavor, lifecycle.kind),
    });
  }

  if (lifecycle.kind === 'unavailable') {
    logger.warn({ reason: lifecycle.reason }, 'document lifecycle unavailable, old documents stay');
  } else {
    logger.info({ lifecycle: lifecycle.kind, retentionDays: days }, 'document store layout ready');
  }
  return lifecycle;
}

function templateBody(
  kind: DocumentKind,
  prefix: string,
  days: number,
  flavor: SearchFlavor,
  lifecycle: LifecycleState['kind'],
) {
  // One node in the appliance bundle: a replica could never be assigned and health stays yellow.
  const settings: Record<string, unknown> = { number_of_replicas: 0 };
  if (flavor === 'elasticsearch' && lifecycle === 'ilm') {
    settings['index.lifecycle.name'] = dataStreamName(kind, prefix);
  }
  return {
    settings,
    mappings: mappingFor(kind),
    ...(lifecycle === 'data-stream' ? { lifecycle: { data_retention: `${days}d` } } : {}),
  };
}

async function ensureIlm(client: Client, prefix: string, days: number): Promise<LifecycleState> {
  for (const kind of DOCUMENT_KINDS) {
    await client.ilm.putLifecycle({
      name: dataStreamName(kind, prefix),
      policy: {
        phases: {
          hot: { actions: { rollover: { max_age: '1d', max_primary_shard_size: '10gb' } } },
          delete: { min_age: `${days}d`, actions: { delete: {} } },
        },
      },
    });
  }
  return { kind: 'ilm' };
}

/**
 * ISM policies attach themselves to new backing indices through `ism_template`, so the index
 * template needs no ISM setting (which OpenSearch would refuse without the plugin). A 409 means
 * the policy exists: Vigil leaves an existing policy alone.
 */
async function ensureIsm(client: Client, prefix: string, days: number): Promise<LifecycleState> {
  for (const kind of DOCUMENT_KINDS) {
    const name = dataStreamName(kind, prefix);
    const answer = await client.transport.request(
      { method: 'PUT', path: `/_plugins/_ism/policies/${name}`, body: ismPolicy(name, days) },
      { ignore: [400, 404, 409], meta: true },
    );
    if (answer.statusCode === 400 || answer.statusCode === 404) {
      return { kind: 'unavailable', reason: `ISM plugin missing: ${errorText(answer.body)}` };
    }
  }
  return { kind: 'ism' };
}

function ismPolicy(name: string, days: number) {
  return {
    policy: {
      description: `Vigil ${name}: roll over daily, delete after ${days} days`,
      default_state: 'hot',
      states: [
        {
          name: 'hot',
          actions: [{ rollover: { min_index_age: '1d' } }],
          transitions: [{ state_name: 'delete', conditions: { min_index_age: `${days}d` } }],
        },
        { name: 'delete', actions: [{ delete: {} }], transitions: [] },
      ],
      ism_template: [{ index_patterns: [`.ds-${name}*`], priority: 100 }],
    },
  };
}

function errorText(body: unknown): string {
  const error = (body as { error?: unknown } | undefined)?.error;
  if (typeof error === 'string') return error;
  const reason = (error as { reason?: unknown } | undefined)?.reason;
  return typeof reason === 'string' ? reason : JSON.stringify(body);
}
