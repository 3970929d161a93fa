import type { TimeRange } from './grafana-interval.ts';

// The search request that Grafana's Elasticsearch datasource sends for one panel target, built
// from the target's JSON in the dashboard. Grafana sends it as one header and one body line of
// `_msearch`. This covers the aggregations Vigil's dashboards use: metrics `count` and
// `raw_data`, buckets `terms` and `date_histogram`. Anything else throws, naming the type, so a
// new panel cannot pass the check untranslated.

export interface SearchTarget {
  query?: string;
  timeField?: string;
  metrics?: Array<{ type: unknown; id: string; settings?: Record<string, unknown> }>;
  bucketAggs?: Array<{
    type: string;
    id: string;
    field?: string;
    settings?: Record<string, unknown>;
  }>;
}

export interface SearchRequest {
  header: { index: string; ignore_unavailable: true; search_type: 'query_then_fetch' };
  body: Record<string, unknown>;
}

type Aggregations = Record<string, Record<string, unknown>>;

// Default page size of a raw_data query in Grafana's Elasticsearch datasource.
const defaultRawSize = 500;

/**
 * Builds the request for a target whose query string has its variables substituted already.
 * `interval` replaces a date histogram's `auto` (and `$__interval`). An empty query is `*`.
 */
export function searchRequest(
  target: SearchTarget,
  index: string,
  range: TimeRange,
  interval: string,
): SearchRequest {
  const timeField = target.timeField ?? '@timestamp';
  const query = {
    bool: {
      filter: [
        { range: { [timeField]: { gte: range.from, lte: range.to, format: 'epoch_millis' } } },
        { query_string: { analyze_wildcard: true, query: target.query || '*' } },
      ],
    },
  };
  const header = { index, ignore_unavailable: true, search_type: 'query_then_fetch' } as const;

  const metrics = target.metrics ?? [];
  const raw = metrics.find((metric) => metric.type === 'raw_data');
  if (raw !== undefined) {
    const size = Number(raw.settings?.size ?? defaultRawSize);
    const sort = [
      { [timeField]: { order: 'desc', unmapped_type: 'boolean' } },
      { _doc: { order: 'desc' } },
    ];
    return { header, body: { size, query, sort } };
  }

  for (const metric of metrics) {
    if (metric.type !== 'count')
      throw new Error(`metric type ${String(metric.type)} is not translated`);
  }
  const aggs = nestBuckets(target.bucketAggs ?? [], timeField, range, interval);
  return { header, body: { size: 0, query, aggs } };
}

// Nest the bucket aggregations in dashboard order: the first is the outermost, as in Grafana.
// A `count` metric needs no sub-aggregation, because every bucket has `doc_count`.
function nestBuckets(
  buckets: NonNullable<SearchTarget['bucketAggs']>,
  timeField: string,
  range: TimeRange,
  interval: string,
): Aggregations {
  let inner: Aggregations | undefined;
  for (const bucket of [...buckets].reverse()) {
    const aggregation = bucketAggregation(bucket, timeField, range, interval);
    inner = { [bucket.id]: inner === undefined ? aggregation : { ...aggregation, aggs: inner } };
  }
  return inner ?? {};
}

function bucketAggregation(
  bucket: NonNullable<SearchTarget['bucketAggs']>[number],
  timeField: string,
  range: TimeRange,
  interval: string,
): Record<string, unknown> {
  const settings = bucket.settings ?? {};
  if (bucket.type === 'date_histogram') {
    const setting = String(settings.interval ?? 'auto');
    return {
      date_histogram: {
        field: bucket.field ?? timeField,
        fixed_interval: setting === 'auto' || setting === '$__interval' ? interval : setting,
        min_doc_count: Number(settings.min_doc_count ?? 0),
        extended_bounds: { min: range.from, max: range.to },
        format: 'epoch_millis',
      },
    };
  }
  if (bucket.type === 'terms') {
    // Grafana's `_term` ordering is Elasticsearch's `_key`.
    const orderBy = String(settings.orderBy ?? '_term').replace(/^_term$/, '_key');
    return {
      terms: {
        field: bucket.field,
        size: Number(settings.size ?? 10),
        order: { [orderBy]: String(settings.order ?? 'desc') },
        min_doc_count: Number(settings.min_doc_count ?? 1),
      },
    };
  }
  throw new Error(`bucket aggregation ${bucket.type} is not translated`);
}
