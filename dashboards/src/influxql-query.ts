import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog';
import type { DataSourceRef } from '@grafana/schema';

import { influx } from './datasources.ts';

// A raw InfluxQL target of Grafana's InfluxDB datasource (query language InfluxQL). The
// foundation SDK 0.0.21 has no InfluxDB query builder, so this one fills the fields Grafana
// reads for a raw query: `query`, `rawQuery: true` and `resultFormat`.
export interface InfluxqlQuery {
  refId?: string;
  hide?: boolean;
  datasource: DataSourceRef;
  query: string;
  rawQuery: true;
  resultFormat: 'time_series' | 'table';
  _implementsDataqueryVariant(): void;
}

export class InfluxqlQueryBuilder implements Builder<Dataquery> {
  private readonly internal: InfluxqlQuery;

  constructor(query: string, resultFormat: InfluxqlQuery['resultFormat'] = 'time_series') {
    this.internal = {
      datasource: influx,
      query,
      rawQuery: true,
      resultFormat,
      _implementsDataqueryVariant() {},
    };
  }

  build(): InfluxqlQuery {
    return this.internal;
  }

  refId(refId: string): this {
    this.internal.refId = refId;
    return this;
  }
}
