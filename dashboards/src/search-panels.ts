import type { Builder } from '@grafana/grafana-foundation-sdk/cog';
import {
  DataqueryBuilder,
  DateHistogramBuilder,
  TermsBuilder,
  TermsOrder,
  type MetricAggregation,
} from '@grafana/grafana-foundation-sdk/elasticsearch';
import { PanelBuilder as TableBuilder } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeseriesBuilder } from '@grafana/grafana-foundation-sdk/timeseries';

import { alertHistory } from './datasources.ts';

// Panels of Grafana's Elasticsearch datasource over the `vigil-alerts` data stream. Its
// documents carry `@timestamp`, `rule`, `transition` (pending, firing, resolved), `labels.*`
// (the alert's labels, `severity` among them) and `value`, as docs/storage.md lists.

export const timeField = '@timestamp';

// A metric aggregation with a fixed `type`. The foundation SDK 0.0.21 writes `type: "unknown"`
// from its CountBuilder and RawDataBuilder, which Grafana cannot run, so these set it directly.
function metric(aggregation: MetricAggregation): Builder<MetricAggregation> {
  return { build: () => aggregation };
}

const count = metric({ type: 'count', id: '1' });

// Terms on `field`, the `size` largest buckets by document count.
function terms(id: string, field: string, size: number): TermsBuilder {
  return new TermsBuilder()
    .id(id)
    .field(field)
    .settings({
      order: TermsOrder.Desc,
      orderBy: '_count',
      size: String(size),
      min_doc_count: '1',
    });
}

// `interval: auto` lets Grafana pick the bucket width from the time range, as `$__interval`.
function perInterval(id: string): DateHistogramBuilder {
  return new DateHistogramBuilder()
    .id(id)
    .field(timeField)
    .settings({ interval: 'auto', min_doc_count: '0' });
}

function searchQuery(query: string): DataqueryBuilder {
  return new DataqueryBuilder()
    .datasource(alertHistory)
    .refId('A')
    .timeField(timeField)
    .query(query);
}

// Build a time series of document counts per interval, one series per value of `splitField`.
export function searchCountsOverTime(
  title: string,
  query: string,
  splitField: string,
  width = 12,
): TimeseriesBuilder {
  const target = searchQuery(query)
    .metrics([count])
    .bucketAggs([terms('3', splitField, 20), perInterval('2')]);
  return new TimeseriesBuilder()
    .title(title)
    .datasource(alertHistory)
    .unit('none')
    .withTarget(target)
    .span(width)
    .height(8);
}

// Build a table of document counts per value of `field` over the whole time range.
export function searchCountsTable(
  title: string,
  query: string,
  field: string,
  width = 12,
): TableBuilder {
  const target = searchQuery(query)
    .metrics([count])
    .bucketAggs([terms('2', field, 50)]);
  return new TableBuilder()
    .title(title)
    .datasource(alertHistory)
    .withTarget(target)
    .span(width)
    .height(8);
}

// Build a table of the newest `size` documents, one row per document, newest first.
export function searchDocumentsTable(
  title: string,
  query: string,
  size: number,
  width = 24,
): TableBuilder {
  const target = searchQuery(query).metrics([
    metric({ type: 'raw_data', id: '1', settings: { size: String(size) } }),
  ]);
  return new TableBuilder()
    .title(title)
    .datasource(alertHistory)
    .withTarget(target)
    .span(width)
    .height(10);
}
