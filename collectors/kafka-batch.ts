import type { EachBatchPayload } from 'kafkajs';

import { RateLimitedLog } from '../appliance/ingest/rate-limited-log.ts';
import type { Rejection } from '../appliance/ingest/rejection.ts';
import type { Logger } from '../appliance/log/logger.ts';
import {
  BatchTooLargeError,
  recordLag,
  submitOrThrow,
  type CollectorContext,
} from './collector.ts';
import { decodeMessages, describeSource, type KafkaFormat } from './kafka-decode.ts';
import type { KafkaHealth } from './kafka-health.ts';
import {
  partitionLag,
  splitAtMessages,
  type PartitionAssignment,
  type RowChunk,
} from './kafka-offsets.ts';
import type { Mapping } from './mapping.ts';

/** A message the collector could not use, with its coordinates. */
export interface MessageRejection {
  topic: string;
  partition: number;
  /** Message offset, with `:record` for one record of an NDJSON or JSON-array message. */
  offset: string;
  code: string;
  field: string;
  reason: string;
}

export interface BatchHandlerOptions {
  collector: string;
  format: KafkaFormat;
  mapping: Mapping;
  /** Rows per ingest submit at most. */
  batchRecords: number;
  context: CollectorContext;
  logger: Logger;
  assignment: PartitionAssignment;
  health: KafkaHealth;
}

const MAX_KEPT_REJECTIONS = 100;
/** Maximum sleep between two heartbeats while a store outage is retried, in milliseconds. */
const HEARTBEAT_SLICE_MS = 1_000;

/**
 * Handles the kafkajs `eachBatch` callback of one consumer: decodes a partition batch, stores
 * it chunk by chunk and commits each chunk's offset after the ingest commit stored its rows.
 */
export class KafkaBatchHandler {
  private readonly rateLimited: RateLimitedLog;
  private readonly kept: MessageRejection[] = [];

  constructor(private readonly options: BatchHandlerOptions) {
    this.rateLimited = new RateLimitedLog(options.logger);
  }

  /** Lists the latest rejected messages, oldest first, at most 100. */
  rejections(): readonly MessageRejection[] {
    return this.kept;
  }

  /** Stores the rows of one partition batch chunk by chunk, committing after each chunk. */
  async consume(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    if (batch.isEmpty()) return;
    const { format, mapping, batchRecords, context, collector } = this.options;
    const decoded = decodeMessages(batch.topic, batch.partition, batch.messages, format, mapping);
    context.metrics.received.inc({ collector }, decoded.rows.length);

    for (const chunk of splitAtMessages(decoded, batchRecords, batch.lastOffset())) {
      const rejected = await this.storeWithRetry(chunk, payload);
      if (rejected === undefined) return;
      this.record(batch.topic, batch.partition, chunk, rejected);
      const committed = await this.commit(payload, chunk.commitOffset);
      if (!committed) return;
    }
  }

  /**
   * Submits a chunk until the ingest commit stores it; returns its rejections, or undefined
   * when the consumer stops or loses the partition while it waits.
   */
  private async storeWithRetry(
    chunk: RowChunk,
    payload: EachBatchPayload,
  ): Promise<Rejection[] | undefined> {
    const { context, mapping, health, logger } = this.options;
    for (;;) {
      if (!payload.isRunning() || payload.isStale()) return undefined;
      try {
        const result = await submitOrThrow(
          context.ingest,
          mapping.target,
          chunk.rows,
          chunk.rejected,
        );
        return result.rejected;
      } catch (error) {
        if (error instanceof BatchTooLargeError && isOneMessage(chunk)) {
          return rejectWholeMessage(chunk, error);
        }
        const reason = error instanceof Error ? error.message : String(error);
        const delayMs = health.failure(reason);
        logger.error(
          { err: error, topic: payload.batch.topic, partition: payload.batch.partition, delayMs },
          'kafka batch store failed; retrying',
        );
        await this.waitWithHeartbeats(payload, delayMs);
      }
    }
  }

  private async waitWithHeartbeats(payload: EachBatchPayload, delayMs: number): Promise<void> {
    const until = Date.now() + delayMs;
    while (payload.isRunning() && Date.now() < until) {
      const slice = Math.min(HEARTBEAT_SLICE_MS, until - Date.now());
      await new Promise((resolve) => setTimeout(resolve, slice));
      await payload.heartbeat();
    }
  }

  /**
   * Commits `offset` for the batch's partition if this member still owns it. A commit that the
   * broker rejects after a rebalance is rethrown, so kafkajs rejoins the group. The rows are
   * stored already, and the partition's next owner reads them again from the last commit.
   */
  private async commit(payload: EachBatchPayload, offset: string): Promise<boolean> {
    const { topic, partition, highWatermark } = payload.batch;
    const { assignment, context, collector, health, logger } = this.options;
    if (!assignment.owns(topic, partition) || payload.isStale()) {
      logger.info({ topic, partition, offset }, 'commit skipped: partition reassigned');
      return false;
    }

    payload.resolveOffset((BigInt(offset) - 1n).toString());
    await payload.commitOffsetsIfNecessary({
      topics: [{ topic, partitions: [{ partition, offset }] }],
    });

    health.success((context.now ?? Date.now)());
    context.metrics.partitionLag.set(
      { collector, topic, partition: String(partition) },
      partitionLag(highWatermark, offset),
    );
    return true;
  }

  private record(
    topic: string,
    partition: number,
    chunk: RowChunk,
    rejected: readonly Rejection[],
  ): void {
    const { context, collector } = this.options;
    recordLag(context.metrics, collector, chunk.rows, (context.now ?? Date.now)());
    let previous = -1;
    for (const rejection of rejected) {
      if (rejection.index === previous) continue;
      previous = rejection.index;
      const source = chunk.sources[rejection.index];
      const offset = source === undefined ? '' : describeSource(source);
      context.metrics.rejected.inc({ collector, reason: rejection.code });
      this.keep({
        topic,
        partition,
        offset,
        code: rejection.code,
        field: rejection.field,
        reason: rejection.reason,
      });
    }
  }

  private keep(rejection: MessageRejection): void {
    this.kept.push(rejection);
    if (this.kept.length > MAX_KEPT_REJECTIONS) this.kept.shift();
    this.rateLimited.warn(`rejected:${rejection.code}`, { ...rejection }, 'message rejected');
  }
}

/** True when every row of the chunk comes from the same message, so it cannot be split. */
function isOneMessage(chunk: RowChunk): boolean {
  const first = chunk.sources[0]?.offset;
  return chunk.sources.every((source) => source.offset === first);
}

/**
 * Rejects every row of a message that contains more records than one ingest commit takes. Retrying
 * would fail forever and stall the partition, so the message is rejected and its offset
 * committed, as for a message that is not JSON.
 */
function rejectWholeMessage(chunk: RowChunk, error: BatchTooLargeError): Rejection[] {
  const offset = chunk.sources[0]?.offset ?? '';
  const reason =
    `message at offset ${offset} contains ${error.records} records, above ` +
    `ingest.max_batch_records (${error.limit}); split it into smaller messages or raise the limit`;
  const known = new Set(chunk.rejected.map((rejection) => rejection.index));
  const rest = chunk.rows.flatMap((_row, index) =>
    known.has(index) ? [] : [{ index, field: '', value: '', code: 'invalid_row' as const, reason }],
  );
  return [...chunk.rejected, ...rest];
}
