import { readFileSync } from 'node:fs';

import { parse } from 'yaml';

import { grafanaIntervals, type TimeRange } from '../../dashboards/check/grafana-interval.ts';
import type { DashboardVariable, PanelTarget } from '../../dashboards/check/panel-targets.ts';
import { searchRequest, type SearchTarget } from '../../dashboards/check/search-request.ts';
import {
  substituteVariables,
  type VariableValue,
} from '../../dashboards/check/template-variables.ts';

// Sends dashboard targets and variable queries to real servers the way Grafana's InfluxDB,
// Elasticsearch and Prometheus datasources do, and counts what comes back. Grafana talks to
// Elasticsearch, but these checks send the same search requests to OpenSearch 2.19, which
// accepts them, because no Elasticsearch server can be installed here.

export interface ProvisionedDatasource {
  uid: string;
  type: string;
  database?: string;
  index?: string;
  timeField?: string;
}

/** Reads the datasources from the provisioning file that compose mounts into Grafana. */
export function provisionedDatasources(): Map<string, ProvisionedDatasource> {
  const file = new URL(
    '../../compose/grafana/provisioning/datasources/vigil.yaml',
    import.meta.url,
  );
  const config = parse(readFileSync(file, 'utf8')) as {
    datasources: Array<{ uid: string; type: string; jsonData?: Record<string, string> }>;
  };
  return new Map(
    config.datasources.map((datasource) => [
      datasource.uid,
      {
        uid: datasource.uid,
        type: datasource.type,
        database: datasource.jsonData?.dbName,
        index: datasource.jsonData?.index,
        timeField: datasource.jsonData?.timeField,
      },
    ]),
  );
}

export interface ServerUrls {
  influx?: string;
  search?: string;
  prometheus?: string;
}

export interface QueryContext {
  servers: ServerUrls;
  datasources: Map<string, ProvisionedDatasource>;
  range: TimeRange;
  // The datasource's `timeInterval`, and for Prometheus its scrape interval.
  minIntervalMs: number;
  variables: Record<string, VariableValue>;
}

function builtIns(context: QueryContext): Record<string, string> {
  const intervals = grafanaIntervals(context.range, context.minIntervalMs);
  return {
    timeFilter: `time >= ${context.range.from}ms and time <= ${context.range.to}ms`,
    __interval: intervals.interval,
    __rate_interval: intervals.rateInterval,
    __range: intervals.range,
  };
}

function datasourceOf(target: PanelTarget, context: QueryContext): ProvisionedDatasource {
  const datasource = context.datasources.get(target.datasource.uid ?? '');
  if (datasource === undefined) throw new Error(`${target.name}: datasource not provisioned`);
  return datasource;
}

function required(url: string | undefined, server: string): string {
  if (url === undefined)
    throw new Error(`no ${server} URL given for this check; set it in servers`);
  return url;
}

/**
 * Runs one target and returns how many series (InfluxDB, Prometheus), buckets or documents
 * (Elasticsearch) it returned. Throws with the server's error and the query sent.
 */
export async function runTarget(target: PanelTarget, context: QueryContext): Promise<number> {
  const datasource = datasourceOf(target, context);
  if (datasource.type === 'influxdb') return runInfluxql(target, datasource, context);
  if (datasource.type === 'elasticsearch') return runSearch(target, datasource, context);
  if (datasource.type === 'prometheus') return runPromql(target, context);
  throw new Error(`${target.name}: datasource type ${datasource.type} is not checked`);
}

async function runInfluxql(
  target: PanelTarget,
  datasource: ProvisionedDatasource,
  context: QueryContext,
): Promise<number> {
  const query = substituteVariables(
    String(target.target.query),
    context.variables,
    builtIns(context),
    'regex',
  );
  const url = new URL('/query', required(context.servers.influx, 'InfluxDB'));
  url.searchParams.set('db', datasource.database ?? '');
  url.searchParams.set('epoch', 'ms');
  const response = await fetch(url, { method: 'POST', body: new URLSearchParams({ q: query }) });
  const body = (await response.json()) as {
    results?: Array<{ series?: unknown[]; error?: string }>;
    error?: string;
  };
  const error = body.error ?? body.results?.[0]?.error;
  if (error !== undefined) throw new Error(`${target.name}: ${error} in ${query}`);
  return body.results?.[0]?.series?.length ?? 0;
}

async function runSearch(
  target: PanelTarget,
  datasource: ProvisionedDatasource,
  context: QueryContext,
): Promise<number> {
  const searchTarget = target.target as SearchTarget;
  const query = substituteVariables(
    searchTarget.query ?? '',
    context.variables,
    builtIns(context),
    'lucene',
  );
  const { interval } = grafanaIntervals(context.range, context.minIntervalMs);
  const request = searchRequest(
    { ...searchTarget, query, timeField: searchTarget.timeField ?? datasource.timeField },
    datasource.index ?? '',
    context.range,
    interval,
  );
  const response = await msearch(context, [request.header, request.body]);
  const [first] = response;
  if (first?.error !== undefined) {
    throw new Error(`${target.name}: ${JSON.stringify(first.error)} in ${JSON.stringify(request)}`);
  }
  const aggregations = Object.values(first?.aggregations ?? {});
  if (aggregations.length === 0) return first?.hits?.hits?.length ?? 0;
  return aggregations.reduce<number>((sum, aggregation) => sum + countBuckets(aggregation), 0);
}

interface SearchResponse {
  error?: unknown;
  hits?: { hits?: unknown[] };
  aggregations?: Record<string, unknown>;
  status?: number;
}

async function msearch(context: QueryContext, lines: unknown[]): Promise<SearchResponse[]> {
  const url = new URL('/_msearch', required(context.servers.search, 'OpenSearch'));
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson' },
    body: `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`,
  });
  const body = (await response.json()) as { responses?: SearchResponse[]; error?: unknown };
  if (body.responses === undefined) throw new Error(`_msearch failed: ${JSON.stringify(body)}`);
  return body.responses;
}

// Count the innermost buckets that hold at least one document, as the rows Grafana would draw.
function countBuckets(aggregation: unknown): number {
  const buckets = (aggregation as { buckets?: Array<Record<string, unknown>> }).buckets ?? [];
  let count = 0;
  for (const bucket of buckets) {
    const nested = Object.values(bucket).filter(
      (value) => typeof value === 'object' && value !== null && 'buckets' in value,
    );
    if (nested.length > 0)
      count += nested.reduce<number>((sum, inner) => sum + countBuckets(inner), 0);
    else if (Number(bucket.doc_count) > 0) count += 1;
  }
  return count;
}

async function runPromql(target: PanelTarget, context: QueryContext): Promise<number> {
  const expr = substituteVariables(
    String(target.target.expr),
    context.variables,
    builtIns(context),
    'prometheus',
  );
  // Grafana aligns a range query's start and end to multiples of the step.
  const { intervalMs } = grafanaIntervals(context.range, context.minIntervalMs);
  const align = (ms: number): string => String((Math.floor(ms / intervalMs) * intervalMs) / 1000);
  const base = required(context.servers.prometheus, 'Prometheus');
  const url = new URL(target.instant ? '/api/v1/query' : '/api/v1/query_range', base);
  url.searchParams.set('query', expr);
  if (target.instant) url.searchParams.set('time', String(context.range.to / 1000));
  else {
    url.searchParams.set('start', align(context.range.from));
    url.searchParams.set('end', align(context.range.to));
    url.searchParams.set('step', String(intervalMs / 1000));
  }
  const response = await fetch(url);
  const body = (await response.json()) as {
    status: string;
    error?: string;
    data?: { result: unknown[] };
  };
  if (body.status !== 'success') throw new Error(`${target.name}: ${body.error} in ${expr}`);
  return body.data?.result.length ?? 0;
}

/**
 * Runs a variable's query against its datasource, as Grafana does to fill the drop-down, with
 * the variables before it substituted. Returns the values, sorted.
 */
export async function variableValues(
  variable: DashboardVariable,
  context: QueryContext,
): Promise<string[]> {
  const datasource = context.datasources.get(variable.datasource.uid ?? '');
  if (datasource?.type === 'prometheus') return labelValues(variable, context);
  if (datasource?.type === 'elasticsearch') return termValues(variable, datasource, context);
  throw new Error(`variable ${variable.name}: datasource ${variable.datasource.uid} not checked`);
}

async function labelValues(variable: DashboardVariable, context: QueryContext): Promise<string[]> {
  const query = substituteVariables(variable.query, context.variables, {}, 'prometheus');
  const match = /^label_values\((.+),\s*(\w+)\)$/.exec(query);
  if (match === null) throw new Error(`variable ${variable.name}: unsupported query ${query}`);
  const url = new URL(
    `/api/v1/label/${match[2]}/values`,
    required(context.servers.prometheus, 'Prometheus'),
  );
  url.searchParams.set('match[]', match[1]!);
  url.searchParams.set('start', String(context.range.from / 1000));
  url.searchParams.set('end', String(context.range.to / 1000));
  const body = (await (await fetch(url)).json()) as { data: string[] };
  return [...body.data].sort();
}

async function termValues(
  variable: DashboardVariable,
  datasource: ProvisionedDatasource,
  context: QueryContext,
): Promise<string[]> {
  const { field } = JSON.parse(variable.query) as { find: string; field: string };
  const timeField = datasource.timeField ?? '@timestamp';
  const body = {
    size: 0,
    query: {
      range: {
        [timeField]: { gte: context.range.from, lte: context.range.to, format: 'epoch_millis' },
      },
    },
    aggs: { values: { terms: { field, size: 500, order: { _key: 'asc' } } } },
  };
  const header = { index: datasource.index, ignore_unavailable: true };
  const [first] = await msearch(context, [header, body]);
  const buckets = (first?.aggregations?.values as { buckets?: Array<{ key: string }> }).buckets;
  return (buckets ?? []).map((bucket) => String(bucket.key)).sort();
}
