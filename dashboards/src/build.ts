import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import type { Dashboard } from '@grafana/schema';

import { alerts } from './alerts.ts';
import { dataHealth } from './data-health.ts';
import { modelHealth } from './model-health.ts';
import { trends } from './trends.ts';
import { vigilItself } from './vigil-itself.ts';

// Build every dashboard, keyed by its file name in dashboards/generated/.
export function buildDashboards(): Map<string, Dashboard> {
  const builders = {
    'model-health': modelHealth(),
    'data-health': dataHealth(),
    trends: trends(),
    alerts: alerts(),
    appliance: vigilItself(),
  };
  const dashboards = new Map<string, Dashboard>();
  for (const [name, builder] of Object.entries(builders)) {
    // The SDK's dashboard type is a structural twin of the one in @grafana/schema, and the
    // checks in test/unit/dashboards/ read the result through the schema type.
    const dashboard = builder.build() as Dashboard;
    numberPanels(dashboard);
    dashboards.set(`${name}.json`, dashboard);
  }
  return dashboards;
}

// Give every panel, rows included, an id unique in its dashboard (1, 2, ... in layout order),
// because the SDK leaves ids unset and Grafana links panels by id. `id: null` on the dashboard
// lets Grafana assign its own database id at provisioning.
function numberPanels(dashboard: Dashboard): void {
  let next = 1;
  for (const panel of dashboard.panels ?? []) {
    panel.id = next++;
    for (const nested of 'panels' in panel ? (panel.panels ?? []) : []) nested.id = next++;
  }
  dashboard.id = null;
}

// Render a dashboard as its file text: 2-space JSON with a final newline, so a re-run is byte-identical.
export function renderDashboard(dashboard: Dashboard): string {
  return `${JSON.stringify(dashboard, null, 2)}\n`;
}

export const generatedDirectory = fileURLToPath(new URL('../generated/', import.meta.url));

function main(): void {
  for (const [file, dashboard] of buildDashboards()) {
    writeFileSync(`${generatedDirectory}${file}`, renderDashboard(dashboard));
    process.stdout.write(`wrote dashboards/generated/${file}\n`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
