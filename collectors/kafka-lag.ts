import type { Admin } from 'kafkajs';

import { RateLimitedLog } from '../appliance/ingest/rate-limited-log.ts';
import type { Logger } from '../appliance/log/logger.ts';
import type { CollectorMetrics } from './collector-metrics.ts';
import { partitionLag, type TopicPartition } from './kafka-offsets.ts';

export interface LagMonitorOptions {
  collector: string;
  groupId: string;
  /** Delay between two lag reads, in milliseconds. */
  intervalMs: number;
  /** The partitions this member owns now. */
  owned: () => TopicPartition[];
  admin: Admin;
  metrics: CollectorMetrics;
  logger: Logger;
}

/**
 * Reads the group's committed offsets and the partitions' high watermarks from the broker at
 * an interval, and sets the lag gauge of every owned partition. Commits set the gauge too, but
 * only this read shows the lag of a partition that gets no batch, such as one that is idle or
 * whose batches wait on a store outage. A partition without a committed offset counts every
 * retained record (high watermark minus low watermark) as lag. A failed read is logged at a
 * limited rate and retried at the next interval; it never fails the collector.
 */
export class LagMonitor {
  private timer: NodeJS.Timeout | undefined;
  private connected = false;
  private readonly limited: RateLimitedLog;

  constructor(private readonly options: LagMonitorOptions) {
    this.limited = new RateLimitedLog(options.logger);
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => void this.refresh(), this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    if (!this.connected) return;
    this.connected = false;
    await this.options.admin.disconnect().catch((error: unknown) => {
      this.options.logger.warn({ err: error }, 'kafka admin disconnect failed');
    });
  }

  /** Reads the lag once; resolves after the gauges are set or the failure is logged. */
  async refresh(): Promise<void> {
    const owned = this.options.owned();
    if (owned.length === 0) return;
    try {
      if (!this.connected) {
        await this.options.admin.connect();
        this.connected = true;
      }
      await this.readLag(owned);
    } catch (error) {
      this.limited.warn(
        'lag',
        { err: error },
        'kafka lag read failed; retrying at the next interval',
      );
    }
  }

  private async readLag(owned: TopicPartition[]): Promise<void> {
    const { admin, groupId, collector, metrics } = this.options;
    const topics = [...new Set(owned.map((item) => item.topic))];
    const committed = new Map<string, string>();
    for (const entry of await admin.fetchOffsets({ groupId, topics })) {
      for (const { partition, offset } of entry.partitions) {
        committed.set(`${entry.topic} ${partition}`, offset);
      }
    }

    const watermarks = await Promise.all(topics.map((topic) => admin.fetchTopicOffsets(topic)));

    // A rebalance may have moved partitions during the reads, so ownership is checked again.
    const ownedNow = this.options.owned();
    topics.forEach((topic, index) => {
      for (const { partition, high, low } of watermarks[index]!) {
        const key = `${topic} ${partition}`;
        if (!ownedNow.some((item) => item.topic === topic && item.partition === partition)) {
          continue;
        }
        const offset = committed.get(key);
        const start = offset === undefined || BigInt(offset) < 0n ? low : offset;
        metrics.partitionLag.set(
          { collector, topic, partition: String(partition) },
          partitionLag(high, start),
        );
      }
    });
  }
}
