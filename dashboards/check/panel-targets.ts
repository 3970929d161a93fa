import type { Dashboard, DataSourceRef, Panel, RowPanel } from '@grafana/schema';

// Every query target of the generated dashboards with the datasource that runs it, for the
// checks that send each one to a real server.

export interface PanelTarget {
  // `<file>: <panel title> <refId>`, to name the target in a failure.
  name: string;
  file: string;
  datasource: DataSourceRef;
  target: Record<string, unknown>;
  // Instant query of a Prometheus table, or a range query.
  instant: boolean;
}

export interface DashboardVariable {
  name: string;
  datasource: DataSourceRef;
  query: string;
  allValue: string;
}

function panelsOf(dashboard: Dashboard): Panel[] {
  const panels: Panel[] = [];
  for (const panel of dashboard.panels ?? []) {
    if (panel.type === 'row') panels.push(...((panel as RowPanel).panels ?? []));
    else panels.push(panel as Panel);
  }
  return panels;
}

/** Lists the targets of every panel; a target without a datasource inherits the panel's. */
export function panelTargets(dashboards: ReadonlyMap<string, Dashboard>): PanelTarget[] {
  const targets: PanelTarget[] = [];
  for (const [file, dashboard] of dashboards) {
    for (const panel of panelsOf(dashboard)) {
      for (const target of panel.targets ?? []) {
        const datasource = (target.datasource ?? panel.datasource) as DataSourceRef | undefined;
        if (datasource?.uid === undefined) {
          throw new Error(`${file}: ${panel.title} has a target without a datasource uid`);
        }
        targets.push({
          name: `${file}: ${panel.title} ${target.refId}`,
          file,
          datasource,
          target: target as Record<string, unknown>,
          instant: (target as { instant?: boolean }).instant === true,
        });
      }
    }
  }
  return targets;
}

/** Lists the query variables of a dashboard in definition order. */
export function dashboardVariables(dashboard: Dashboard): DashboardVariable[] {
  return (dashboard.templating?.list ?? []).map((variable) => {
    const datasource = variable.datasource as DataSourceRef | undefined;
    if (variable.type !== 'query' || datasource?.uid === undefined) {
      throw new Error(`variable ${variable.name} is not a query variable with a datasource uid`);
    }
    return {
      name: variable.name,
      datasource,
      query: String(variable.query ?? ''),
      allValue: variable.allValue ?? '.*',
    };
  });
}
