import type { Router } from 'express';
import type { Registry } from 'prom-client';

/** `GET /metrics`: the appliance's registry in the Prometheus text exposition format. */
export function addMetricsRoute(router: Router, registry: Registry): void {
  router.get('/metrics', async (_request, response) => {
    const text = await registry.metrics();
    response.status(200).type(registry.contentType).send(text);
  });
}
