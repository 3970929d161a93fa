import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import express, { Router, type Express, type RequestHandler } from 'express';
import type { Ingestor } from '../ingest/ingestor.ts';
import type { Logger } from '../log/logger.ts';
import type { VigilMetrics } from '../metrics/metrics.ts';
import { authenticate, type AuthOptions } from './auth.ts';
import { HttpError, errorHandler } from './http-error.ts';
import { RateLimiter, type RateLimitOptions } from './rate-limit.ts';
import { addActualRoutes } from './routes/actuals.ts';
import { addEventRoutes } from './routes/events.ts';
import { addHealthRoutes, type ReadinessProbe } from './routes/health.ts';
import { addMetricsRoute } from './routes/metrics.ts';
import { addSeriesRoutes } from './routes/series.ts';

/** 16 MiB, the default of `http.body_limit_bytes`. */
export const DEFAULT_BODY_LIMIT_BYTES = 16 * 1024 * 1024;

export interface HttpAppOptions {
  ingestor: Ingestor;
  metrics: VigilMetrics;
  logger: Logger;
  /** Store reachable and rules loaded; `/readyz` responds 503 until it reports ready. */
  readiness: ReadinessProbe;
  /** Largest accepted request body in bytes; default 16 MiB. */
  bodyLimitBytes?: number;
  /** API tokens and open endpoints; absent or without tokens, the API is open. */
  auth?: AuthOptions;
  /** Token bucket per API token, or per client address without tokens; absent means no limit. */
  rateLimit?: RateLimitOptions;
  /** Adds more endpoints (query API, UI, reload) before the not-found and error handlers. */
  extraRoutes?: (router: Router) => void;
}

/** Builds the express app of the HTTP API. It does not listen; see `listen`. */
export function createHttpApp(options: HttpAppOptions): Express {
  const logger = options.logger.child({ component: 'http' });
  const bodyLimitBytes = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const app = express();
  app.disable('x-powered-by');
  app.use(requestId(logger));
  if (options.auth !== undefined) app.use(authenticate(options.auth, logger));
  if (options.rateLimit !== undefined) app.use(new RateLimiter(options.rateLimit).middleware());

  const router = Router();
  addHealthRoutes(router, options.readiness);
  addMetricsRoute(router, options.metrics.registry);
  addEventRoutes(router, options.ingestor, bodyLimitBytes);
  addActualRoutes(router, options.ingestor, bodyLimitBytes);
  addSeriesRoutes(router, options.ingestor, bodyLimitBytes);
  options.extraRoutes?.(router);
  app.use(router);

  app.use((request, _response, next) => {
    next(
      new HttpError(
        404,
        'not_found',
        `no endpoint ${request.method} ${request.path}: see docs/api.md`,
      ),
    );
  });
  app.use(errorHandler(logger));
  return app;
}

/** Sets `x-request-id` (the client's, when it sent a short one) and logs each request at debug. */
function requestId(logger: Logger): RequestHandler {
  return (request, response, next) => {
    const given = request.headers['x-request-id'];
    const id = typeof given === 'string' && /^[\w.:-]{1,64}$/.test(given) ? given : randomUUID();
    response.setHeader('x-request-id', id);

    const started = process.hrtime.bigint();
    response.once('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      const fields = {
        requestId: id,
        method: request.method,
        path: request.path,
        status: response.statusCode,
        durationMs,
      };
      logger.debug(fields, 'request');
    });
    next();
  };
}

/** Starts listening on `host:port` (port 0 picks a free one) and resolves once bound. */
export function listen(app: Express, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) => {
      if (error !== undefined) {
        reject(error);
        return;
      }
      resolve(server);
    });
  });
}
