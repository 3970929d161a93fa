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
}

/**
 * Drains each target of the outbox in append order, one entry at a time: an entry is deleted
 * only after its sink resolved, so a kill in between sends it again (the stores deduplicate by
 * id or by series and timestamp). A failing target backs off without holding up the others.
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

  /** Delivers every entry of a target present now; returns how many were delivered. */
  async drainOnce(target: string): Promise<number> {
    const sink = this.options.sinks[target];
    if (!sink) return 0;
    let delivered = 0;
    for (;;) {
      const [entry] = this.options.outbox.oldest(target, 1);
      if (!entry) return delivered;
      await sink(entry.items);
      this.options.outbox.ack(target, entry.seq);
      this.lastError.delete(target);
      delivered += 1;
    }
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
