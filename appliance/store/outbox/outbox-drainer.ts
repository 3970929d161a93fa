import type { Logger } from '../../log/logger.ts';
import type { Outbox } from './outbox.ts';

/**
 * Delivers the items of one outbox entry to a remote store. It resolves once the store contains
 * them (or reported each one it rejected for good) and throws when they must be sent again.
 */
export type OutboxSink = (items: unknown[]) => Promise<void>;

export interface OutboxDrainerOptions {
  outbox: Outbox;
  sinks: Record<string, OutboxSink>;
  logger: Logger;
  /** First delay after a failed delivery, doubled up to `maxRetryDelayMs`. 200 and 10,000 ms. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** Idle poll interval when a target is empty, ms. Default 100. */
  pollMs?: number;
  /** Entries joined into one delivery. Default 1000. */
  maxEntriesPerDelivery?: number;
  /** Payload bytes joined into one delivery, except a larger single entry. Default 4 MiB. */
  maxBytesPerDelivery?: number;
  /**
   * Targets that wait for another: `{ actuals: 'events' }` delivers an `actuals` entry only once
   * every `events` entry appended before it is delivered, so an update finds its document.
   */
  after?: Record<string, string>;
}

/**
 * Drains each target of the outbox in append order, joining consecutive entries into one sink
 * call (one InfluxDB write or one bulk request for many entries). Entries are deleted only after
 * their sink call resolved, so a kill in between sends them again (the stores deduplicate by id
 * or by series and timestamp). A failing target backs off without holding up the others.
 */
export class OutboxDrainer {
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly lastError = new Map<string, string>();
  private readonly wakers = new Set<() => void>();

  constructor(private readonly options: OutboxDrainerOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loops = Object.keys(this.options.sinks).map((target) => this.loop(target));
  }

  /** Stops after the entries in delivery finish; what is left stays in the outbox. */
  async stop(): Promise<void> {
    this.running = false;
    for (const wake of [...this.wakers]) wake();
    await Promise.all(this.loops);
  }

  /** Returns the last delivery error of each target still failing, for `/readyz`. */
  failing(): Record<string, string> {
    return Object.fromEntries(this.lastError);
  }

  /**
   * Waits until no target with a sink has entries, or until `timeoutMs` passed, while the
   * delivery loops run. Returns the entries left per target, and an empty object when all drained.
   */
  async drain(timeoutMs: number): Promise<Record<string, number>> {
    const deadline = Date.now() + timeoutMs;
    // Targets in backoff retry at once instead of after their delay.
    for (const wake of [...this.wakers]) wake();
    for (;;) {
      const left = this.entriesLeft();
      const remaining = deadline - Date.now();
      if (Object.keys(left).length === 0 || remaining <= 0) return left;
      await this.sleep(Math.min(50, remaining));
    }
  }

  /** Returns the number of waiting entries of each target that has any. */
  entriesLeft(): Record<string, number> {
    const left: Record<string, number> = {};
    for (const target of Object.keys(this.options.sinks)) {
      const entries = this.options.outbox.count(target);
      if (entries > 0) left[target] = entries;
    }
    return left;
  }

  /** Delivers every entry of a target present now and returns how many were delivered. */
  async drainOnce(target: string): Promise<number> {
    const sink = this.options.sinks[target];
    if (!sink) return 0;
    let delivered = 0;
    for (;;) {
      const entries = this.nextBatch(target);
      const last = entries.at(-1);
      if (last === undefined) return delivered;

      const items: unknown[] = [];
      for (const entry of entries) for (const item of entry.items) items.push(item);
      await sink(items);

      this.options.outbox.ack(target, last.seq);
      this.lastError.delete(target);
      delivered += entries.length;
    }
  }

  /** Reads the next entries to deliver together, holding back those that wait for a target. */
  private nextBatch(target: string) {
    const { outbox } = this.options;
    const waitsFor = this.options.after?.[target];
    const beforeSeq = waitsFor === undefined ? undefined : outbox.firstSeq(waitsFor);
    return outbox.batch(target, {
      maxEntries: this.options.maxEntriesPerDelivery ?? 1000,
      maxBytes: this.options.maxBytesPerDelivery ?? 4 * 1024 * 1024,
      ...(beforeSeq === undefined ? {} : { beforeSeq }),
    });
  }

  private async loop(target: string): Promise<void> {
    const base = this.options.retryDelayMs ?? 200;
    let delay = base;
    while (this.running) {
      try {
        const delivered = await this.drainOnce(target);
        delay = base;
        if (delivered === 0) await this.sleep(this.options.pollMs ?? 100);
      } catch (error) {
        const reason = (error as Error).message;
        if (!this.lastError.has(target)) {
          this.options.logger.warn({ target, err: error }, 'outbox delivery failed, retrying');
        }
        this.lastError.set(target, reason);
        await this.sleep(delay);
        delay = Math.min(delay * 2, this.options.maxRetryDelayMs ?? 10_000);
      }
    }
  }

  /** Waits `ms`, or less when `stop` is called. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakers.add(wake);
    });
  }
}
