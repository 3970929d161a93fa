import type { Logger } from '../appliance/log/logger.ts';
import { backoffDelay, defaultBackoff, type BackoffOptions } from './backoff.ts';
import type { CollectorHealth } from './collector.ts';
import type { CollectorMetrics } from './collector-metrics.ts';

export interface PollingLoopOptions {
  name: string;
  /** Delay between two successful reads, in milliseconds. */
  intervalMs: number;
  /** One read; resolves after its records committed, throws to trigger a backoff. */
  step: () => Promise<void>;
  logger: Logger;
  metrics: CollectorMetrics;
  backoff?: BackoffOptions;
  now?: () => number;
  random?: () => number;
}

/**
 * Runs a collector's read step at an interval. A failed step is logged, counted and retried
 * after a jittered exponential backoff; a success resets the backoff. Steps never overlap.
 */
export class PollingLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private readonly state: CollectorHealth = {
    state: 'idle',
    lastSuccessMs: null,
    lastError: null,
    consecutiveFailures: 0,
  };

  constructor(private readonly options: PollingLoopOptions) {}

  /** Starts the loop; the first step runs at once. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.state.state = 'running';
    this.schedule(0);
  }

  /** Stops the loop and waits for the step in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    this.state.state = 'stopped';
  }

  health(): CollectorHealth {
    return { ...this.state };
  }

  /** Runs one step now, outside the timer; tests and `stop()` use it. */
  runOnce(): Promise<void> {
    return this.enqueueStep();
  }

  /** Runs a step after the one in flight, so timer and `runOnce` steps never overlap. */
  private enqueueStep(): Promise<void> {
    const next = (this.running ?? Promise.resolve()).then(() => this.runStep());
    this.running = next;
    return next;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.enqueueStep().then(() => this.scheduleNext());
    }, delayMs);
  }

  private scheduleNext(): void {
    const failures = this.state.consecutiveFailures;
    if (failures === 0) {
      this.schedule(this.options.intervalMs);
      return;
    }
    const delay = backoffDelay(
      failures,
      this.options.backoff ?? defaultBackoff,
      this.options.random,
    );
    this.options.logger.warn(
      { collector: this.options.name, delayMs: delay, failures },
      'collector retrying',
    );
    this.schedule(delay);
  }

  private async runStep(): Promise<void> {
    const { name, metrics } = this.options;
    try {
      await this.options.step();
      const now = (this.options.now ?? Date.now)();
      this.state.lastSuccessMs = now;
      this.state.lastError = null;
      this.state.consecutiveFailures = 0;
      this.state.state = this.stopped ? 'stopped' : 'running';
      metrics.lastSuccess.set({ collector: name }, now / 1000);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.state.lastError = reason;
      this.state.consecutiveFailures += 1;
      this.state.state = 'backoff';
      metrics.failures.inc({ collector: name });
      this.options.logger.error({ collector: name, err: error }, 'collector read failed');
    }
  }
}
