import type { RequestHandler } from 'express';
import type { AuthenticatedToken } from './auth.ts';
import { HttpError } from './http-error.ts';

export interface RateLimitOptions {
  /** Sustained rate each client may keep up, in requests per second. */
  requestsPerSecond: number;
  /** Bucket size: requests a client may send at once after being idle. */
  burst: number;
  /** Clock in ms; tests pass a fake one. */
  now?: () => number;
  /** Maximum number of clients tracked; past it the bucket first created is dropped. Default 10,000. */
  maxClients?: number;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/**
 * A token bucket per client: each request takes one token, tokens refill at `requestsPerSecond`
 * up to `burst`. The client is the API token's name after `authenticate`, else the remote
 * address. An empty bucket gets 429 with `Retry-After` in whole seconds until one token is back.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;
  private readonly maxClients: number;

  constructor(private readonly options: RateLimitOptions) {
    if (!(options.requestsPerSecond > 0) || !Number.isFinite(options.requestsPerSecond)) {
      throw new RangeError(
        `rate limit requestsPerSecond is ${options.requestsPerSecond}: set a number above 0`,
      );
    }
    if (!Number.isInteger(options.burst) || options.burst < 1) {
      throw new RangeError(`rate limit burst is ${options.burst}: set an integer of at least 1`);
    }
    this.now = options.now ?? Date.now;
    this.maxClients = options.maxClients ?? 10_000;
  }

  /** Takes one token for `client`; returns 0 when allowed, else the seconds until one is back. */
  take(client: string): number {
    const now = this.now();
    const bucket = this.refill(client, now);

    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    const waitSeconds = (1 - bucket.tokens) / this.options.requestsPerSecond;
    return Math.max(1, Math.ceil(waitSeconds));
  }

  middleware(): RequestHandler {
    return (request, response, next) => {
      const token = response.locals.token as AuthenticatedToken | undefined;
      const client = token?.name ?? `address:${request.socket.remoteAddress ?? 'unknown'}`;
      const retryAfter = this.take(client);
      if (retryAfter === 0) {
        next();
        return;
      }

      const message =
        `rate limit of ${this.options.requestsPerSecond} requests per second exceeded: ` +
        `retry after ${retryAfter} s or raise http.rate_limit`;
      const details = { retry_after_seconds: retryAfter };
      next(
        new HttpError(429, 'rate_limited', message, details, { 'retry-after': `${retryAfter}` }),
      );
    };
  }

  private refill(client: string, now: number): Bucket {
    const existing = this.buckets.get(client);
    if (existing === undefined) {
      // The map keeps insertion order, so its first key is the client seen first.
      if (this.buckets.size >= this.maxClients) {
        const oldest = this.buckets.keys().next().value;
        if (oldest !== undefined) this.buckets.delete(oldest);
      }
      const bucket = { tokens: this.options.burst, updatedMs: now };
      this.buckets.set(client, bucket);
      return bucket;
    }

    const elapsedSeconds = Math.max(0, now - existing.updatedMs) / 1000;
    existing.tokens = Math.min(
      this.options.burst,
      existing.tokens + elapsedSeconds * this.options.requestsPerSecond,
    );
    existing.updatedMs = now;
    return existing;
  }
}
