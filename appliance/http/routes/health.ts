import type { Router } from 'express';

import type { Collector } from '../../../collectors/collector.ts';

/** Readiness as reported by the appliance: every check is a short status such as `ok`. */
export interface Readiness {
  ready: boolean;
  checks: Record<string, string>;
}

export type ReadinessProbe = () => Readiness | Promise<Readiness>;

/**
 * `GET /healthz` responds 200 while the process serves requests. `GET /readyz` responds 200 when
 * the probe reports ready (store reachable, rules loaded) and 503 otherwise, with the checks.
 */
export function addHealthRoutes(router: Router, readiness: ReadinessProbe): void {
  router.get('/healthz', (_request, response) => {
    response.status(200).json({ status: 'ok' });
  });

  router.get('/readyz', async (_request, response) => {
    const result = await readiness();
    response.status(result.ready ? 200 : 503).json({ ready: result.ready, checks: result.checks });
  });
}

/** A scrape target's last outcome, as the Prometheus collector reports it. */
interface TargetOutcome {
  url: string;
  up: boolean;
  reason: string | null;
}

/**
 * Returns one readiness check per collector, keyed `collector_<name>`: `ok`, `starting` before
 * the first read, `stopped`, or `failing: <reason>`. A collector fails when its last read
 * failed (it is in backoff) or, for a scrape collector, when a target's last scrape failed.
 * The checks inform and never make the appliance unready, because a source that is down does
 * not stop the API from taking pushed data.
 */
export function collectorChecks(collectors: readonly Collector[]): Record<string, string> {
  const checks: Record<string, string> = {};
  for (const collector of collectors) {
    checks[`collector_${collector.name}`] = collectorState(collector);
  }
  return checks;
}

function collectorState(collector: Collector): string {
  const health = collector.health();
  if (health.state === 'stopped') return 'stopped';
  if (health.lastError !== null) return `failing: ${health.lastError}`;
  if (health.lastSuccessMs === null) return 'starting';

  const down = targetsOf(collector).filter((target) => !target.up);
  if (down.length === 0) return 'ok';
  const first = down[0]!;
  const others = down.length > 1 ? ` (and ${down.length - 1} more targets down)` : '';
  return `failing: ${first.url}: ${first.reason ?? 'scrape failed'}${others}`;
}

/** Returns the targets of a collector that reports them, an empty list for any other. */
function targetsOf(collector: Collector): TargetOutcome[] {
  const reporter = collector as Partial<{ targets: () => TargetOutcome[] }>;
  return typeof reporter.targets === 'function' ? reporter.targets() : [];
}
