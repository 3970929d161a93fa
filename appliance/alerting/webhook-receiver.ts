import type { ReceiverConfig } from '../config/config.ts';
import type { Logger } from '../log/logger.ts';
import type { VigilMetrics } from '../metrics/metrics.ts';
import type { WebhookPayload } from './alertmanager-payload.ts';

/** The result of one delivery, after every retry. */
export interface DeliveryResult {
  delivered: boolean;
  attempts: number;
  /** HTTP status of the last attempt, 0 when it got no response. */
  status: number;
}

/** One attempt's outcome: `retryable` is false for a 4xx other than 429. */
interface AttemptResult {
  ok: boolean;
  status: number;
  retryable: boolean;
  error?: string;
}

/**
 * Sends notifications to one webhook with Alertmanager's payload. Each notification is tried up
 * to `maxAttempts` times: network errors, timeouts, 5xx and 429 are retried after a backoff
 * that starts at `initialBackoffMs`, doubles up to `maxBackoffMs`, and is jittered to between
 * half and all of that delay; any other 4xx fails at once. `send` never rejects.
 */
export class WebhookReceiver {
  readonly name: string;
  readonly #config: ReceiverConfig;
  readonly #metrics: VigilMetrics;
  readonly #logger: Logger;
  readonly #random: () => number;

  constructor(options: {
    config: ReceiverConfig;
    metrics: VigilMetrics;
    logger: Logger;
    /** Source of jitter in [0, 1); `Math.random` unless a test fixes it. */
    random?: () => number;
  }) {
    this.name = options.config.name;
    this.#config = options.config;
    this.#metrics = options.metrics;
    this.#logger = options.logger.child({ receiver: options.config.name });
    this.#random = options.random ?? Math.random;
  }

  async send(payload: WebhookPayload): Promise<DeliveryResult> {
    const body = JSON.stringify(payload);
    const { maxAttempts } = this.#config;
    let last: AttemptResult = { ok: false, status: 0, retryable: true };

    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      last = await this.#attempt(body);
      if (last.ok) {
        this.#metrics.notificationsSent.inc({ receiver: this.name });
        return { delivered: true, attempts: attempt, status: last.status };
      }

      const willRetry = last.retryable && attempt < maxAttempts;
      this.#logFailure(payload, attempt, last, willRetry);
      if (!willRetry) {
        this.#metrics.notificationsFailed.inc({ receiver: this.name });
        return { delivered: false, attempts: attempt, status: last.status };
      }

      this.#metrics.notificationRetries.inc({ receiver: this.name });
      await sleep(this.#backoffMs(attempt));
    }

    this.#metrics.notificationsFailed.inc({ receiver: this.name });
    return { delivered: false, attempts: maxAttempts, status: last.status };
  }

  async #attempt(body: string): Promise<AttemptResult> {
    try {
      const response = await fetch(this.#config.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(this.#config.timeoutMs),
      });
      // Drain the body so the connection can be reused.
      await response.arrayBuffer();
      const { status } = response;
      const retryable = status >= 500 || status === 429;
      return { ok: response.ok, status, retryable };
    } catch (error) {
      return { ok: false, status: 0, retryable: true, error: describeError(error) };
    }
  }

  /** Delay before retry `attempt` (1 = the first retry), ms. */
  #backoffMs(attempt: number): number {
    const { initialBackoffMs, maxBackoffMs } = this.#config;
    const delay = Math.min(maxBackoffMs, initialBackoffMs * 2 ** (attempt - 1));
    return delay / 2 + (this.#random() * delay) / 2;
  }

  #logFailure(
    payload: WebhookPayload,
    attempt: number,
    result: AttemptResult,
    willRetry: boolean,
  ): void {
    const fields = {
      groupKey: payload.groupKey,
      attempt,
      maxAttempts: this.#config.maxAttempts,
      status: result.status,
      err: result.error,
    };
    if (willRetry) this.#logger.warn(fields, 'webhook delivery failed, retrying');
    else this.#logger.error(fields, 'webhook delivery failed, giving up');
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return 'timed out';
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
