import type { ReceiverConfig } from '../config/config.ts';
import type { Logger } from '../log/logger.ts';
import type { VigilMetrics } from '../metrics/metrics.ts';
import type { WebhookPayload } from './alertmanager-payload.ts';
import type { NotificationContext } from './dispatcher.ts';

/** Turns a notification into the request body; `undefined` means nothing to send. */
export type Encoder = (payload: WebhookPayload, context: NotificationContext) => unknown;

/** POSTs a JSON body and returns the status; injectable so tests need no network or wall clock. */
export type Transport = (
  url: string,
  body: string,
  timeoutMs: number,
) => Promise<{ status: number }>;

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
  readonly resendEveryMs: number | undefined;
  readonly #random: () => number;
  readonly #url: string;
  readonly #encode: Encoder;
  readonly #transport: Transport;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(options: {
    config: ReceiverConfig;
    metrics: VigilMetrics;
    logger: Logger;
    /** Source of jitter in [0, 1); `Math.random` unless a test fixes it. */
    random?: () => number;
    /** Request URL; `config.url` by default. */
    url?: string;
    /** Request body; Alertmanager's webhook payload by default. */
    encode?: Encoder;
    /** See `Receiver.resendEveryMs`. */
    resendEveryMs?: number;
    /** HTTP POST; `fetch` by default. */
    transport?: Transport;
    /** Waits between retries; `setTimeout` by default. */
    sleep?: (ms: number) => Promise<void>;
  }) {
    this.name = options.config.name;
    this.#config = options.config;
    this.#metrics = options.metrics;
    this.#logger = options.logger.child({ receiver: options.config.name });
    this.#random = options.random ?? Math.random;
    this.#url = options.url ?? options.config.url;
    this.#encode = options.encode ?? ((payload) => payload);
    this.resendEveryMs = options.resendEveryMs;
    this.#transport = options.transport ?? fetchTransport;
    this.#sleep = options.sleep ?? sleep;
    // Counters start at 0 for every receiver, so dashboards show 0 rather than no data.
    const labels = { receiver: this.name };
    this.#metrics.notificationsSent.inc(labels, 0);
    this.#metrics.notificationsFailed.inc(labels, 0);
    this.#metrics.notificationRetries.inc(labels, 0);
  }

  async send(
    payload: WebhookPayload,
    context: NotificationContext = { time: Date.now(), ruleGroups: {} },
  ): Promise<DeliveryResult> {
    const encoded = this.#encode(payload, context);
    if (encoded === undefined) return { delivered: true, attempts: 0, status: 0 };
    const body = JSON.stringify(encoded);
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
      await this.#sleep(this.#backoffMs(attempt));
    }

    this.#metrics.notificationsFailed.inc({ receiver: this.name });
    return { delivered: false, attempts: maxAttempts, status: last.status };
  }

  async #attempt(body: string): Promise<AttemptResult> {
    try {
      const { status } = await this.#transport(this.#url, body, this.#config.timeoutMs);
      const retryable = status >= 500 || status === 429;
      return { ok: status >= 200 && status < 300, status, retryable };
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

async function fetchTransport(
  url: string,
  body: string,
  timeoutMs: number,
): Promise<{ status: number }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  // Drain the body so the connection can be reused.
  await response.arrayBuffer();
  return { status: response.status };
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
