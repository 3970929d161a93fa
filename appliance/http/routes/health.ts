import type { Router } from 'express';

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
