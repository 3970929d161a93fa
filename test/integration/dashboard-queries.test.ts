import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import type { Dashboard } from '@grafana/schema';

import { buildDashboards } from '../../dashboards/src/build.ts';
import { dashboardVariables, panelTargets } from '../../dashboards/check/panel-targets.ts';
import type { VariableValue } from '../../dashboards/check/template-variables.ts';
import {
  SCRAPE_INTERVAL_MS,
  startDashboardFixture,
  type DashboardFixture,
} from './dashboard-fixture.ts';
import {
  provisionedDatasources,
  runTarget,
  variableValues,
  type QueryContext,
} from './dashboard-servers.ts';
import { skipUnlessInstalled } from './servers.ts';

// Every panel target of the generated dashboards, sent as Grafana would send it to the real
// InfluxDB, OpenSearch (in place of Elasticsearch, which Grafana talks to) and Prometheus, must
// return at least one series, bucket or document. The data comes from a running Vigil that
// writes to InfluxDB and OpenSearch and that Prometheus scrapes (dashboard-fixture.ts). Each
// target runs twice: with every variable at All, and with every variable at the first value
// its own query returns.

const influxUrl = process.env.INFLUX_URL;
const searchUrl = process.env.OPENSEARCH_URL;
const skip =
  influxUrl === undefined || searchUrl === undefined
    ? 'INFLUX_URL and OPENSEARCH_URL are not set (.ci/run starts influxd and OpenSearch)'
    : skipUnlessInstalled(['prometheus']);

const dashboards = buildDashboards();

async function variablesOf(
  dashboard: Dashboard,
  context: QueryContext,
  pick: 'All' | 'first',
): Promise<Record<string, VariableValue>> {
  const variables: Record<string, VariableValue> = {};
  for (const variable of dashboardVariables(dashboard)) {
    const values = await variableValues(variable, { ...context, variables });
    assert.ok(values.length > 0, `variable ${variable.name} of ${dashboard.uid} has no values`);
    variables[variable.name] = {
      selection: pick === 'All' ? 'All' : [values[0]!],
      allValue: variable.allValue,
    };
  }
  return variables;
}

describe('dashboard panels against real servers', { skip }, () => {
  let fixture: DashboardFixture;

  before(async () => {
    fixture = await startDashboardFixture(influxUrl!, searchUrl!);
  });

  after(async () => {
    await fixture?.stop();
  });

  for (const pick of ['All', 'first'] as const) {
    test(`every panel target returns data, variables at ${pick}`, async () => {
      const context: QueryContext = {
        servers: { influx: influxUrl, search: searchUrl, prometheus: fixture.prometheus.url },
        datasources: provisionedDatasources(),
        // Grafana's "Last 15 minutes", which covers the fixture's whole life.
        range: { from: Date.now() - 15 * 60_000, to: Date.now() },
        minIntervalMs: SCRAPE_INTERVAL_MS,
        variables: {},
      };
      const empty: string[] = [];
      const sentByType = new Map<string, number>();
      for (const [file, dashboard] of dashboards) {
        const targets = panelTargets(new Map([[file, dashboard]]));
        context.variables = await variablesOf(dashboard, context, pick);
        for (const target of targets) {
          const type = context.datasources.get(target.datasource.uid ?? '')?.type ?? '';
          sentByType.set(type, (sentByType.get(type) ?? 0) + 1);
          if ((await runTarget(target, context)) === 0) empty.push(target.name);
        }
      }
      assert.deepEqual(empty, []);
      assert.deepEqual([...sentByType.keys()].sort(), ['elasticsearch', 'influxdb', 'prometheus']);
    });
  }
});
