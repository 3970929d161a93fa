import type { Logger } from '../log/logger.ts';

/**
 * Logs one line per key per interval and counts the repeats in between, so a client that
 * sends the same bad field in every event does not flood the log. The next line for a key
 * carries `suppressed`, the number of repeats not logged since the previous line.
 */
export class RateLimitedLog {
  private readonly lastLoggedAt = new Map<string, number>();
  private readonly suppressed = new Map<string, number>();

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  warn(key: string, fields: Record<string, unknown>, message: string): void {
    this.write('warn', key, fields, message);
  }

  error(key: string, fields: Record<string, unknown>, message: string): void {
    this.write('error', key, fields, message);
  }

  private write(
    level: 'warn' | 'error',
    key: string,
    fields: Record<string, unknown>,
    message: string,
  ): void {
    const now = this.now();
    const last = this.lastLoggedAt.get(key);
    if (last !== undefined && now - last < this.intervalMs) {
      this.suppressed.set(key, (this.suppressed.get(key) ?? 0) + 1);
      return;
    }

    const suppressed = this.suppressed.get(key) ?? 0;
    this.lastLoggedAt.set(key, now);
    this.suppressed.delete(key);
    this.logger[level]({ ...fields, suppressed }, message);
  }
}
