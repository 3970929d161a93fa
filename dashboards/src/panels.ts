import { ReduceDataOptionsBuilder } from '@grafana/grafana-foundation-sdk/common';
import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as HeatmapBuilder } from '@grafana/grafana-foundation-sdk/heatmap';
import { PanelBuilder as StatBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as StateTimelineBuilder } from '@grafana/grafana-foundation-sdk/statetimeline';
import { PanelBuilder as TableBuilder } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeseriesBuilder } from '@grafana/grafana-foundation-sdk/timeseries';

import { influx, prometheus } from './datasources.ts';
import { InfluxqlQueryBuilder } from './influxql-query.ts';

// A PromQL expression with its legend. `refId`s are set in order (A, B, ...) so that every
// target of a panel has a distinct one.
export interface PromTarget {
  expr: string;
  legend: string;
}

const refIds = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function promRange(target: PromTarget, index: number): DataqueryBuilder {
  return new DataqueryBuilder()
    .datasource(prometheus)
    .refId(refIds.charAt(index))
    .expr(target.expr)
    .legendFormat(target.legend)
    .range();
}

function promInstantTable(target: PromTarget, index: number): DataqueryBuilder {
  return new DataqueryBuilder()
    .datasource(prometheus)
    .refId(refIds.charAt(index))
    .expr(target.expr)
    .legendFormat(target.legend)
    .format(PromQueryFormat.Table)
    .instant();
}

// Build a time series panel of PromQL targets, `width` out of 24 grid columns.
export function promTimeseries(
  title: string,
  unit: string,
  targets: PromTarget[],
  width = 12,
): TimeseriesBuilder {
  const panel = new TimeseriesBuilder().title(title).datasource(prometheus).unit(unit);
  targets.forEach((target, index) => panel.withTarget(promRange(target, index)));
  return panel.span(width).height(8);
}

// Build a stat panel: one number per series, the last non-null value of the range.
export function promStat(title: string, unit: string, target: PromTarget, width = 6): StatBuilder {
  return new StatBuilder()
    .title(title)
    .datasource(prometheus)
    .unit(unit)
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']))
    .withTarget(promRange(target, 0))
    .span(width)
    .height(5);
}

// Build a table of instant PromQL results, one row per labelset. With several targets the results
// are joined on their labels by the `merge` transformation, one value column per target.
export function promTable(title: string, targets: PromTarget[], width = 24): TableBuilder {
  const panel = new TableBuilder().title(title).datasource(prometheus);
  targets.forEach((target, index) => panel.withTarget(promInstantTable(target, index)));
  panel.withTransformation({ id: 'merge', options: {} });
  // Grafana names the value column of an instant table query `Value`, or `Value #<refId>`
  // when the panel has several queries.
  const valueColumn = (index: number): string =>
    targets.length === 1 ? 'Value' : `Value #${refIds.charAt(index)}`;
  const renameByName = Object.fromEntries(
    targets.map((target, index) => [valueColumn(index), target.legend]),
  );
  panel.withTransformation({
    id: 'organize',
    options: { excludeByName: { Time: true }, renameByName },
  });
  return panel.span(width).height(8);
}

// Build a heatmap whose rows are the series of the target (one feature each), coloured by value.
export function promHeatmap(title: string, unit: string, target: PromTarget): HeatmapBuilder {
  return new HeatmapBuilder()
    .title(title)
    .datasource(prometheus)
    .unit(unit)
    .calculate(false)
    .withTarget(promRange(target, 0))
    .span(24)
    .height(9);
}

// Build a state timeline of a gauge that is non-zero while a state holds, one lane per series.
export function promStateTimeline(title: string, target: PromTarget): StateTimelineBuilder {
  return new StateTimelineBuilder()
    .title(title)
    .datasource(prometheus)
    .withTarget(promRange(target, 0))
    .span(24)
    .height(7);
}

// Build a time series panel of raw InfluxQL queries.
export function influxTimeseries(
  title: string,
  unit: string,
  queries: string[],
  width = 12,
): TimeseriesBuilder {
  const panel = new TimeseriesBuilder().title(title).datasource(influx).unit(unit);
  queries.forEach((query, index) =>
    panel.withTarget(new InfluxqlQueryBuilder(query).refId(refIds.charAt(index))),
  );
  return panel.span(width).height(8);
}
