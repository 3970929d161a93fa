import type { Logger } from '../appliance/log/logger.ts';
import type { BackoffOptions } from './backoff.ts';
import type { Collector, CollectorContext, CollectorHealth } from './collector.ts';
import { PollingLoop } from './polling-loop.ts';

/** The settings every polling collector has. */
export interface PollingSettings {
  name: string;
  /** Delay between two successful reads, in milliseconds. */
  intervalMs: number;
  backoff?: BackoffOptions;
}

/**
 * The lifecycle shared by collectors that read their source at an interval: a child logger
 * named after the collector, a `PollingLoop` running `step`, and start, stop and health.
 * Subclasses implement `step` and may add fields to the start and stop log lines.
 */
export abstract class PollingCollector implements Collector {
  abstract readonly kind: string;
  readonly name: string;
  protected readonly logger: Logger;
  protected readonly loop: PollingLoop;

  protected constructor(settings: PollingSettings, context: CollectorContext) {
    this.name = settings.name;
    this.logger = context.logger.child({ collector: settings.name });
    this.loop = new PollingLoop({
      name: settings.name,
      intervalMs: settings.intervalMs,
      step: () => this.step(),
      logger: this.logger,
      metrics: context.metrics,
      ...(settings.backoff === undefined ? {} : { backoff: settings.backoff }),
      ...(context.now === undefined ? {} : { now: context.now }),
    });
  }

  /** Reads the source once; resolves after its records committed, throws to back off. */
  protected abstract step(): Promise<void>;

  /** Fields of the "collector started" log line. */
  protected startDetails(): Record<string, unknown> {
    return {};
  }

  /** Fields of the "collector stopped" log line. */
  protected stopDetails(): Record<string, unknown> {
    return {};
  }

  async start(): Promise<void> {
    this.logger.info(this.startDetails(), 'collector started');
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    this.logger.info(this.stopDetails(), 'collector stopped');
  }

  health(): CollectorHealth {
    return this.loop.health();
  }
}
