import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import type { Dashboard } from '@grafana/schema';

import { buildDashboards } from '../../dashboards/src/build.ts';
import { dashboardVariables, panelTargets } from '../../dashboards/check/panel-targets.ts';
import type { VariableValue } from '../../dashboards/check/template-variables.ts';
import { replayDemoInto } from './demo-remote-helpers.ts';
import {
  provisionedDatasources,
  runTarget,
  variableValues,
  type QueryContext,
} from './dashboard-servers.ts';

// After the demo's replay into the real InfluxDB and OpenSearch, every InfluxQL and
// Elasticsearch target of the generated dashboards, sent as Grafana would send it (to
// OpenSearch in place of Elasticsearch), returns at least one series, bucket or document. The
// replay writes to the database and data streams that the provisioned datasources name. No
// Prometheus scrapes the demo, so Prometheus targets are left to dashboard-queries.test.ts and
// every variable is at All.

const influxUrl = process.env.INFLUX_URL;
const searchUrl = process.env.OPENSEARCH_URL;
const skip =
  influxUrl === undefined || searchUrl === undefined
    ? 'INFLUX_URL and OPENSEARCH_URL are not set (.ci/run starts influxd and OpenSearch)'
    : false;

// The replay's event time: bike-sharing hours of 2011 and 2012, NAB tweets of 2015.
const replayRange = {
  from: Date.parse('2011-01-01T00:00:00Z'),
  to: Date.parse('2016-01-01T00:00:00Z'),
};

function allVariables(dashboard: Dashboard): Record<string, VariableValue> {
  const variables: Record<string, VariableValue> = {};
  for (const variable of dashboardVariables(dashboard)) {
    variables[variable.name] = { selection: 'All', allValue: variable.allValue };
  }
  return variables;
}

describe('dashboard panels after the demo replay', { skip }, () => {
  const context: QueryContext = {
    servers: { influx: influxUrl, search: searchUrl },
    datasources: provisionedDatasources(),
    range: replayRange,
    minIntervalMs: 10_000,
    variables: {},
  };
  const dashboards = buildDashboards();

  before(async () => {
    const database = context.datasources.get('vigil-influxdb')?.database ?? '';
    await replayDemoInto({ influxUrl: influxUrl!, openSearchUrl: searchUrl!, database });
  });

  test('rule variable lists the demo rules', async () => {
    const alerts = dashboards.get('alerts.json')!;
    const rule = dashboardVariables(alerts).find((variable) => variable.name === 'rule')!;

    const values = await variableValues(rule, context);

    for (const name of ['BikeFeatureDriftKs', 'BikeModelMaeHigh', 'TweetVolumeAnomaly']) {
      assert.ok(values.includes(name), `${name} in ${values.join(', ')}`);
    }
  });

  test('influxql and elasticsearch targets return data', async () => {
    const empty: string[] = [];
    const sentByType = new Map<string, number>();
    for (const [file, dashboard] of dashboards) {
      const targets = panelTargets(new Map([[file, dashboard]])).filter(
        (target) => context.datasources.get(target.datasource.uid ?? '')?.type !== 'prometheus',
      );
      context.variables = allVariables(dashboard);
      for (const target of targets) {
        const type = context.datasources.get(target.datasource.uid ?? '')?.type ?? '';
        sentByType.set(type, (sentByType.get(type) ?? 0) + 1);
        if ((await runTarget(target, context)) === 0) empty.push(target.name);
      }
    }

    assert.deepEqual(empty, []);
    assert.deepEqual([...sentByType.keys()].sort(), ['elasticsearch', 'influxdb']);
  });
});
