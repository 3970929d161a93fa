import type { ErrorRequestHandler } from 'express';
import type { Logger } from '../log/logger.ts';

/**
 * The one error type of the HTTP API. Routes throw it; `errorHandler` maps it to the status,
 * the JSON body `{ error: { code, message, ...details } }` and any extra headers.
 */
export class HttpError extends Error {
  override readonly name = 'HttpError';

  constructor(
    readonly status: number,
    /** Stable machine-readable code, such as `body_too_large`. */
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The central error handler. An `HttpError` sets the response status, body and headers. Anything
 * else is a bug or an outage, so it is logged with the request id and gets a 500 without internals.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, request, response, next) => {
    if (response.headersSent) {
      next(error);
      return;
    }

    const requestId = response.getHeader('x-request-id');
    if (error instanceof HttpError) {
      if (error.status >= 500) {
        logger.error({ requestId, code: error.code, err: error }, 'request failed');
      }
      response.status(error.status).set(error.headers);
      response.json({ error: { code: error.code, message: error.message, ...error.details } });
      return;
    }

    logger.error(
      { requestId, method: request.method, path: request.path, err: error },
      'unhandled error',
    );
    response.status(500).json({
      error: {
        code: 'internal',
        message: 'internal error: see the appliance log for this request id',
      },
    });
  };
}
