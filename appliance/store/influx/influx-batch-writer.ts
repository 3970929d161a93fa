import type { InfluxDB } from 'influx';
import type { Registry } from 'prom-client';
import type { Logger } from '../../log/logger.ts';
import type { InfluxPoint } from './influx-layout.ts';
import { sanitizePoint, type Rejection } from './sanitize-point.ts';
import { classifyWriteError } from './write-errors.ts';
import { createInfluxWriterMetrics, type InfluxWriterMetrics } from './influx-writer-metrics.ts';

export interface InfluxBatchWriterOptions {
  influx: InfluxDB;
  database: string;
  retentionPolicy?: string;
  logger: Logger;
  registry?: Registry;
  /** Points per `/write` request; a full batch is sent at once. Default 5,000. */
  batchSize?: number;
  /** A partial batch is sent this long after its first point, ms. Default 1,000. */
  flushIntervalMs?: number;
  /** Points held while InfluxDB is away; `write` refuses more. Default 1,000,000. */
  maxBufferedPoints?: number;
  /** First retry delay, doubled up to `maxRetryDelayMs`. Defaults 100 and 5,000 ms. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
}

/** What `write` did with each point of a call. */
export interface WriteAccepted {
  accepted: number;
  /** Points refused before sending, with their position in the call. */
  rejected: (Rejection & { index: number })[];
  /** Points refused because the buffer is full; the caller keeps them (the outbox does). */
  overflow: number;
}

/**
 * Batches sanitised points into `/write` requests, one request in flight so batches land in
 * order. A 5xx, a timeout or a refused connection retries the same batch until InfluxDB
 * answers; a retried batch cannot double a point, because InfluxDB keeps one value per series
 * and timestamp. A 400 is a partial write: InfluxDB stored the good lines, so the refused
 * lines are logged one by one with their reason and the batch is not sent again.
 */
export class InfluxBatchWriter {
  readonly metrics: InfluxWriterMetrics;
  private readonly options: Required<
    Omit<InfluxBatchWriterOptions, 'retentionPolicy' | 'registry'>
  > &
    Pick<InfluxBatchWriterOptions, 'retentionPolicy'>;
  private buffer: InfluxPoint[] = [];
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> | undefined;
  private closed = false;
  private aborted = false;
  private wakeRetry: (() => void) | undefined;

  constructor(options: InfluxBatchWriterOptions) {
    this.options = {
      batchSize: 5000,
      flushIntervalMs: 1000,
      maxBufferedPoints: 1_000_000,
      retryDelayMs: 100,
      maxRetryDelayMs: 5000,
      ...options,
    };
    if (!(this.options.batchSize >= 1)) {
      throw new RangeError(`batchSize must be at least 1 (got ${this.options.batchSize})`);
    }
    this.metrics = createInfluxWriterMetrics(options.registry);
  }

  /** Points waiting for InfluxDB, including the batch in flight. */
  get buffered(): number {
    return this.buffer.length;
  }

  /** Sanitises and queues points; never throws and never waits for the network. */
  write(points: readonly InfluxPoint[]): WriteAccepted {
    const result: WriteAccepted = { accepted: 0, rejected: [], overflow: 0 };
    for (const [index, point] of points.entries()) {
      if (this.closed || this.buffer.length >= this.options.maxBufferedPoints) {
        result.overflow += 1;
        continue;
      }
      const outcome = sanitizePoint(point);
      for (const fix of outcome.fixes) this.metrics.fixed.inc({ reason: fix });
      if (!outcome.ok) {
        this.metrics.rejected.inc({ reason: outcome.rejection.reason });
        result.rejected.push({ ...outcome.rejection, index });
        continue;
      }
      this.buffer.push(outcome.point);
      result.accepted += 1;
    }
    this.metrics.buffered.set(this.buffer.length);
    this.schedule();
    return result;
  }

  /**
   * Resolves once every point queued before the call is acknowledged or logged as dropped, and
   * returns true. After `abort` it resolves early and returns false while points are unsent.
   */
  async flush(): Promise<boolean> {
    while (this.buffer.length > 0 || this.sending) {
      if (this.aborted && !this.sending) break;
      this.startSending();
      await this.sending;
    }
    return this.buffer.length === 0;
  }

  /** Stops accepting points and flushes what is queued. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
    if (this.timer) clearTimeout(this.timer);
  }

  /**
   * Stops accepting points and stops retrying: a request in flight still finishes (it times out
   * after the client's request timeout), then `flush` returns false with the rest unsent.
   */
  abort(): void {
    this.closed = true;
    this.aborted = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.wakeRetry?.();
  }

  private schedule(): void {
    if (this.buffer.length >= this.options.batchSize) {
      this.startSending();
      return;
    }
    if (this.buffer.length > 0 && !this.timer && !this.sending) {
      this.timer = setTimeout(() => this.startSending(), this.options.flushIntervalMs);
      this.timer.unref();
    }
  }

  private startSending(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.sending || this.buffer.length === 0 || this.aborted) return;
    this.sending = this.drain().finally(() => {
      this.sending = undefined;
      this.schedule();
    });
  }

  /** Sends full batches back to back, then the remainder once its interval has passed. */
  private async drain(): Promise<void> {
    while (this.buffer.length > 0) {
      const batch = this.buffer.slice(0, this.options.batchSize);
      if (!(await this.sendWithRetry(batch))) return;
      this.buffer.splice(0, batch.length);
      this.metrics.buffered.set(this.buffer.length);
      if (this.buffer.length < this.options.batchSize && !this.closed) return;
    }
  }

  /** Returns false when `abort` stopped the retries before the batch was settled. */
  private async sendWithRetry(batch: InfluxPoint[]): Promise<boolean> {
    let delay = this.options.retryDelayMs;
    for (;;) {
      const done = await this.sendOnce(batch);
      if (done) return true;
      if (this.aborted) return false;
      this.metrics.retries.inc();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wakeRetry = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeRetry = undefined;
      if (this.aborted) return false;
      delay = Math.min(delay * 2, this.options.maxRetryDelayMs);
    }
  }

  /** Returns false when the batch must be sent again. */
  private async sendOnce(batch: InfluxPoint[]): Promise<boolean> {
    const { influx, database, retentionPolicy, logger } = this.options;
    try {
      await influx.writePoints(batch, { database, retentionPolicy, precision: 'ms' });
      this.metrics.written.inc(batch.length);
      return true;
    } catch (error) {
      const failure = classifyWriteError(error);
      if (failure.kind === 'retry') {
        logger.warn(
          { err: failure.message, points: batch.length },
          'influx write failed, retrying the batch',
        );
        return false;
      }
      if (failure.kind === 'bad_points') {
        for (const bad of failure.lines) {
          this.metrics.dropped.inc({ reason: bucketReason(bad.reason) });
          logger.error(
            { reason: bad.reason, line: bad.line },
            'influx rejected a point, dropped it',
          );
        }
        this.metrics.written.inc(Math.max(0, batch.length - failure.lines.length));
        return true;
      }
      this.metrics.dropped.inc({ reason: `http_${failure.status}` }, batch.length);
      logger.error(
        { status: failure.status, err: failure.message, points: batch.length },
        'influx rejected the batch, dropped it (check the database name and credentials)',
      );
      return true;
    }
  }
}

/** Maps InfluxDB's free-text reasons onto a bounded metric label. */
function bucketReason(reason: string): string {
  if (reason.includes('field type conflict')) return 'field_type_conflict';
  if (reason.includes('invalid')) return 'parse_error';
  return 'other';
}
