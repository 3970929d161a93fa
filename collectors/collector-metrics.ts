import { Counter, Gauge, type Registry } from 'prom-client';

/**
 * Per-collector metrics on the appliance registry. The `collector` label is the configured
 * collector name, so its cardinality is bounded by the configuration; `reason` is a
 * rejection code from a fixed set. `topic` and `partition` are bounded by the partitions of
 * the configured topics.
 */
export interface CollectorMetrics {
  received: Counter<'collector'>;
  rejected: Counter<'collector' | 'reason'>;
  /** Seconds between the newest record's source time and the time it committed. */
  lag: Gauge<'collector'>;
  lastSuccess: Gauge<'collector'>;
  failures: Counter<'collector'>;
  /** Kafka only: records between a partition's committed offset and its high watermark. */
  partitionLag: Gauge<'collector' | 'topic' | 'partition'>;
}

/** Creates the collector metrics and registers them on `registry` (once per registry). */
export function createCollectorMetrics(registry: Registry): CollectorMetrics {
  const registers = [registry];
  return {
    received: new Counter({
      name: 'vigil_collector_records_received_total',
      help: 'Records a collector read from its source, before validation.',
      labelNames: ['collector'],
      registers,
    }),
    rejected: new Counter({
      name: 'vigil_collector_records_rejected_total',
      help: 'Records a collector or the ingest validation rejected, by reason.',
      labelNames: ['collector', 'reason'],
      registers,
    }),
    lag: new Gauge({
      name: 'vigil_collector_lag_seconds',
      help: 'Time from the source time of the newest committed record to its commit.',
      labelNames: ['collector'],
      registers,
    }),
    lastSuccess: new Gauge({
      name: 'vigil_collector_last_success_timestamp_seconds',
      help: 'Unix time of the last read that committed.',
      labelNames: ['collector'],
      registers,
    }),
    failures: new Counter({
      name: 'vigil_collector_failures_total',
      help: 'Reads that failed and were retried after a backoff.',
      labelNames: ['collector'],
      registers,
    }),
    partitionLag: new Gauge({
      name: 'vigil_collector_partition_lag_records',
      help: 'Kafka: records between the committed offset of a partition and its high watermark.',
      labelNames: ['collector', 'topic', 'partition'],
      registers,
    }),
  };
}
