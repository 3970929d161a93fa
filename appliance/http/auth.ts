import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { Logger } from '../log/logger.ts';
import { HttpError } from './http-error.ts';

/** `ingest` writes data, `read` queries it, `admin` reloads rules, edits silences and config. */
export type Scope = 'ingest' | 'read' | 'admin';

export interface ApiToken {
  /** Name put into logs and metrics in place of the token. */
  name: string;
  /** The secret a client sends as `Authorization: Bearer <token>`. */
  token: string;
  scopes: Scope[];
}

export interface AuthOptions {
  /** No tokens means the API is open to every client that reaches its address. */
  tokens: ApiToken[];
  /** `GET /metrics` needs no token; otherwise it needs the `read` scope. */
  openMetrics: boolean;
  /** `GET /healthz` and `GET /readyz` need no token; otherwise they need `read`. */
  openHealth: boolean;
}

/** The token a request was authenticated with, set on `response.locals.token` by `authenticate`. */
export interface AuthenticatedToken {
  name: string;
  scopes: ReadonlySet<Scope>;
}

interface StoredToken extends AuthenticatedToken {
  /** SHA-256 of the token, so every comparison runs over 32 bytes whatever the input length. */
  digest: Buffer;
}

const INGEST_PATHS = new Set(['/api/v1/events', '/api/v1/actuals', '/api/v1/series']);
const HEALTH_PATHS = new Set(['/healthz', '/readyz']);

/**
 * Builds the middleware that checks `Authorization: Bearer <token>` against the configured
 * tokens and the scope the endpoint needs. A missing or unknown token gets 401, a known token
 * without the scope gets 403, both before any body is read, so nothing is stored.
 * Neither the token nor the header is logged; a rejection logs the token name at most.
 */
export function authenticate(options: AuthOptions, logger: Logger): RequestHandler {
  const stored = options.tokens.map(storeToken);

  return (request, response, next) => {
    if (stored.length === 0) {
      next();
      return;
    }

    const scope = requiredScope(request, options);
    if (scope === undefined) {
      next();
      return;
    }

    const presented = bearerToken(request.headers.authorization);
    const match = presented === undefined ? undefined : findToken(stored, presented);
    if (match === undefined) {
      logger.debug(
        { path: request.path, reason: presented === undefined ? 'missing' : 'unknown' },
        'request rejected: no valid token',
      );
      next(unauthorized(presented === undefined));
      return;
    }

    if (!match.scopes.has(scope)) {
      logger.debug(
        { path: request.path, tokenName: match.name, scope },
        'request rejected: token lacks scope',
      );
      next(forbidden(match.name, scope));
      return;
    }

    response.locals.token = { name: match.name, scopes: match.scopes } satisfies AuthenticatedToken;
    next();
  };
}

/**
 * Maps an endpoint to the scope it needs, or `undefined` for an endpoint left open by config.
 * Writes of data need `ingest`. Reload, config and writes of silences need `admin`. Every other
 * `GET` needs `read`, and any other method on any other path needs `admin`.
 */
export function requiredScope(
  request: Pick<Request, 'method' | 'path'>,
  options: Pick<AuthOptions, 'openMetrics' | 'openHealth'>,
): Scope | undefined {
  const { method, path } = request;
  const reads = method === 'GET' || method === 'HEAD';

  if (reads && path === '/metrics') return options.openMetrics ? undefined : 'read';
  if (reads && HEALTH_PATHS.has(path)) return options.openHealth ? undefined : 'read';
  if (method === 'POST' && INGEST_PATHS.has(path)) return 'ingest';
  if (path === '/-/reload' || path.startsWith('/api/v1/config')) return 'admin';
  if (reads) return 'read';
  return 'admin';
}

function storeToken(token: ApiToken): StoredToken {
  return { name: token.name, scopes: new Set(token.scopes), digest: sha256(token.token) };
}

/**
 * Compares the presented token with every configured one in constant time: equal-length SHA-256
 * digests through `timingSafeEqual`, and no early exit, so the time taken does not reveal
 * which token, or how much of one, matched.
 */
function findToken(stored: StoredToken[], presented: string): StoredToken | undefined {
  const digest = sha256(presented);
  let match: StoredToken | undefined;
  for (const candidate of stored) {
    if (timingSafeEqual(candidate.digest, digest) && match === undefined) match = candidate;
  }
  return match;
}

function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const found = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return found?.[1];
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function unauthorized(missing: boolean): HttpError {
  const message = missing
    ? 'missing API token: send the header Authorization: Bearer <token>'
    : 'invalid API token: check the token against auth.tokens in the appliance config';
  return new HttpError(
    401,
    'unauthorized',
    message,
    {},
    { 'www-authenticate': 'Bearer realm="vigil"' },
  );
}

function forbidden(tokenName: string, scope: Scope): HttpError {
  return new HttpError(
    403,
    'forbidden',
    `token "${tokenName}" lacks the scope "${scope}" this endpoint needs: add it to the token's scopes`,
    { required_scope: scope },
  );
}
