import { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';

// Settings shared by every Vigil dashboard: a stable uid (links and provisioning rely on it),
// read-only (provisioned files are the source), last 6 hours, refresh every minute.
export function vigilDashboard(uid: string, title: string, description: string): DashboardBuilder {
  return new DashboardBuilder(title)
    .uid(uid)
    .description(description)
    .tags(['vigil'])
    .readonly()
    .timezone('browser')
    .time({ from: 'now-6h', to: 'now' })
    .refresh('1m');
}

// Label matchers of the model variables, for event evaluator metrics.
export const modelMatch = 'stream=~"$model", version=~"$version"';
