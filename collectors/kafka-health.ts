import { backoffDelay, defaultBackoff, type BackoffOptions } from './backoff.ts';
import type { CollectorHealth } from './collector.ts';
import type { CollectorMetrics } from './collector-metrics.ts';

/**
 * The Kafka collector's health, shared by its lifecycle and its batch handler. Failures and
 * successes update the collector metrics as the polling collectors' loop does.
 */
export class KafkaHealth {
  private readonly state: CollectorHealth = {
    state: 'idle',
    lastSuccessMs: null,
    lastError: null,
    consecutiveFailures: 0,
  };
  private stopped = true;

  constructor(
    private readonly collector: string,
    private readonly metrics: CollectorMetrics,
    private readonly backoff: BackoffOptions = defaultBackoff,
    private readonly random?: () => number,
  ) {}

  snapshot(): CollectorHealth {
    return { ...this.state };
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Marks the collector started; the failure count of an earlier run stays. */
  running(): void {
    this.stopped = false;
    this.state.state = 'running';
  }

  /**
   * Marks a group join: the broker is reachable again, so the last error is cleared. The
   * failure count stays until a commit, so a consumer that fails right after each join still
   * backs off longer each time.
   */
  joined(): void {
    if (this.stopped) return;
    this.state.state = 'running';
    this.state.lastError = null;
  }

  stopping(): void {
    this.stopped = true;
  }

  stoppedNow(): void {
    this.state.state = 'stopped';
  }

  /** Counts a failure and returns the jittered delay before the next retry, in milliseconds. */
  failure(reason: string): number {
    this.state.lastError = reason;
    this.state.consecutiveFailures += 1;
    this.state.state = this.stopped ? 'stopped' : 'backoff';
    this.metrics.failures.inc({ collector: this.collector });
    return backoffDelay(this.state.consecutiveFailures, this.backoff, this.random);
  }

  success(nowMs: number): void {
    this.state.lastSuccessMs = nowMs;
    this.state.lastError = null;
    this.state.consecutiveFailures = 0;
    this.state.state = this.stopped ? 'stopped' : 'running';
    this.metrics.lastSuccess.set({ collector: this.collector }, nowMs / 1000);
  }
}
