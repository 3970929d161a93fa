import {
  Kafka,
  type Consumer,
  type ConsumerCrashEvent,
  type ConsumerGroupJoinEvent,
  type EachBatchPayload,
  type KafkaConfig,
} from 'kafkajs';

import { RateLimitedLog } from '../appliance/ingest/rate-limited-log.ts';
import type { Rejection } from '../appliance/ingest/rejection.ts';
import type { Logger } from '../appliance/log/logger.ts';
import { backoffDelay, defaultBackoff, type BackoffOptions } from './backoff.ts';
import {
  recordLag,
  submitOrThrow,
  type Collector,
  type CollectorContext,
  type CollectorHealth,
} from './collector.ts';
import { kafkaClientConfig, type KafkaSasl, type KafkaTls } from './kafka-client.ts';
import { decodeMessages, describeSource, type KafkaFormat } from './kafka-decode.ts';
import { LagMonitor } from './kafka-lag.ts';
import {
  partitionLag,
  PartitionAssignment,
  splitAtMessages,
  type RowChunk,
} from './kafka-offsets.ts';
import type { Mapping } from './mapping.ts';

export interface KafkaCollectorOptions {
  name: string;
  /** Bootstrap brokers as host:port. */
  brokers: string[];
  topics: string[];
  groupId: string;
  clientId: string;
  format: KafkaFormat;
  mapping: Mapping;
  /** Start of a group without a committed offset: the oldest message if true, else new ones only. */
  fromBeginning: boolean;
  /** Rows per ingest submit at most; keep it below `ingest.max_batch_records`. */
  batchRecords: number;
  /** Group session timeout in milliseconds; a member silent this long loses its partitions. */
  sessionTimeoutMs: number;
  /** Delay between two reads of the partition lag from the broker, in milliseconds. */
  lagIntervalMs?: number;
  connectionTimeoutMs?: number;
  tls?: KafkaTls;
  sasl?: KafkaSasl;
  backoff?: BackoffOptions;
}

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

/** Test seams: a kafkajs client factory and the random source of the backoff. */
export interface KafkaCollectorDependencies {
  createKafka?: (config: KafkaConfig) => Kafka;
  random?: () => number;
}

const MAX_KEPT_REJECTIONS = 100;
/** Maximum sleep between two heartbeats while a store outage is retried, in milliseconds. */
const HEARTBEAT_SLICE_MS = 1_000;

/**
 * Consumes topics as one member of a Kafka consumer group, at least once. Auto-commit is off:
 * a partition's offset is committed only after the ingest commit stored the rows of the
 * messages before it. A crash between the two makes the next owner read those messages again,
 * and ingest dedupe by event id drops the repeats.
 *
 * A store outage is retried inside the batch after a jittered backoff, with heartbeats in
 * between, so the member keeps its partitions. A broker outage crashes the kafkajs consumer;
 * the collector then builds a new one after the same backoff and resumes from the committed
 * offsets. After a rebalance, offsets are committed only for partitions still assigned.
 */
export class KafkaCollector implements Collector {
  readonly kind = 'kafka';
  readonly name: string;
  private readonly logger: Logger;
  private readonly rateLimited: RateLimitedLog;
  private readonly assignment = new PartitionAssignment();
  private readonly kept: MessageRejection[] = [];
  private readonly state: CollectorHealth = {
    state: 'idle',
    lastSuccessMs: null,
    lastError: null,
    consecutiveFailures: 0,
  };
  private consumer: Consumer | undefined;
  private lagMonitor: LagMonitor | undefined;
  private launching: Promise<void> | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private stopped = true;

  constructor(
    private readonly options: KafkaCollectorOptions,
    private readonly context: CollectorContext,
    private readonly dependencies: KafkaCollectorDependencies = {},
  ) {
    this.name = options.name;
    this.logger = context.logger.child({ collector: options.name });
    this.rateLimited = new RateLimitedLog(this.logger);
  }

  /** Builds the client (reading TLS files) and starts the consumer without waiting for the broker. */
  async start(): Promise<void> {
    if (!this.stopped) return;
    const config = kafkaClientConfig(
      {
        clientId: this.options.clientId,
        brokers: this.options.brokers,
        connectionTimeoutMs: this.options.connectionTimeoutMs ?? 10_000,
        ...(this.options.tls === undefined ? {} : { tls: this.options.tls }),
        ...(this.options.sasl === undefined ? {} : { sasl: this.options.sasl }),
      },
      this.logger,
    );
    const kafka = (this.dependencies.createKafka ?? ((settings) => new Kafka(settings)))(config);

    this.lagMonitor = new LagMonitor({
      collector: this.name,
      groupId: this.options.groupId,
      intervalMs: this.options.lagIntervalMs ?? 15_000,
      owned: () => this.assignment.list(),
      admin: kafka.admin(),
      metrics: this.context.metrics,
      logger: this.logger,
    });
    this.lagMonitor.start();
    this.stopped = false;
    this.state.state = 'running';
    this.logger.info(
      { brokers: this.options.brokers, topics: this.options.topics, groupId: this.options.groupId },
      'collector started',
    );
    this.launch(kafka);
  }

  /** Stops consuming; kafkajs waits for the batch in flight, whose stored rows are committed. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.restartTimer);
    await this.launching;
    await this.lagMonitor?.stop();
    const partitions = this.assignment.list();
    await this.disconnect();
    this.state.state = 'stopped';
    this.logger.info({ partitions }, 'collector stopped');
  }

  health(): CollectorHealth {
    return { ...this.state };
  }

  /** Lists the latest rejected messages, oldest first, at most 100. */
  rejections(): readonly MessageRejection[] {
    return this.kept;
  }

  private launch(kafka: Kafka): void {
    this.launching = this.connect(kafka).catch((error: unknown) => this.fail(kafka, error));
  }

  private async connect(kafka: Kafka): Promise<void> {
    const consumer = kafka.consumer({
      groupId: this.options.groupId,
      sessionTimeout: this.options.sessionTimeoutMs,
      heartbeatInterval: Math.max(100, Math.floor(this.options.sessionTimeoutMs / 10)),
      allowAutoTopicCreation: false,
      // The collector restarts a crashed consumer itself, after its own backoff.
      retry: {
        retries: 5,
        initialRetryTime: 300,
        maxRetryTime: 5_000,
        restartOnFailure: async () => false,
      },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, (event) => this.joined(event));
    consumer.on(consumer.events.CRASH, (event) => this.crashed(kafka, event));

    await consumer.connect();
    await consumer.subscribe({
      topics: this.options.topics,
      fromBeginning: this.options.fromBeginning,
    });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.consumeBatch(payload),
    });
  }

  private joined(event: ConsumerGroupJoinEvent): void {
    const assigned = event.payload.memberAssignment;
    const lost = this.assignment.assign(assigned);
    for (const { topic, partition } of lost) this.forgetLag(topic, partition);
    if (!this.stopped) this.state.state = 'running';
    this.logger.info(
      { groupId: this.options.groupId, memberId: event.payload.memberId, assigned, lost },
      'consumer group joined',
    );
  }

  private crashed(kafka: Kafka, event: ConsumerCrashEvent): void {
    void this.fail(kafka, event.payload.error);
  }

  /** Counts a failure, drops the consumer and builds a new one after a jittered backoff. */
  private async fail(kafka: Kafka, error: unknown): Promise<void> {
    const reason = error instanceof Error ? error.message : String(error);
    this.markFailure(reason);
    this.logger.error({ err: error, groupId: this.options.groupId }, 'kafka consumer failed');
    await this.disconnect();
    if (this.stopped) return;

    const delayMs = this.backoff();
    this.logger.warn({ delayMs, failures: this.state.consecutiveFailures }, 'collector retrying');
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      if (!this.stopped) this.launch(kafka);
    }, delayMs);
  }

  private async disconnect(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    for (const { topic, partition } of this.assignment.clear()) this.forgetLag(topic, partition);
    if (consumer === undefined) return;
    try {
      await consumer.disconnect();
    } catch (error) {
      this.logger.warn({ err: error }, 'kafka consumer disconnect failed');
    }
  }

  /** Stores the rows of one partition batch chunk by chunk, committing after each chunk. */
  private async consumeBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    if (batch.isEmpty()) return;
    const decoded = decodeMessages(
      batch.topic,
      batch.partition,
      batch.messages,
      this.options.format,
      this.options.mapping,
    );
    this.context.metrics.received.inc({ collector: this.name }, decoded.rows.length);

    for (const chunk of splitAtMessages(decoded, this.options.batchRecords, batch.lastOffset())) {
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
    for (;;) {
      if (!payload.isRunning() || payload.isStale()) return undefined;
      try {
        const result = await submitOrThrow(
          this.context.ingest,
          this.options.mapping.target,
          chunk.rows,
          chunk.rejected,
        );
        return result.rejected;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        this.markFailure(reason);
        const delayMs = this.backoff();
        this.logger.error(
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
    if (!this.assignment.owns(topic, partition) || payload.isStale()) {
      this.logger.info({ topic, partition, offset }, 'commit skipped: partition reassigned');
      return false;
    }

    payload.resolveOffset((BigInt(offset) - 1n).toString());
    await payload.commitOffsetsIfNecessary({
      topics: [{ topic, partitions: [{ partition, offset }] }],
    });

    const now = (this.context.now ?? Date.now)();
    this.markSuccess(now);
    this.context.metrics.partitionLag.set(
      { collector: this.name, topic, partition: String(partition) },
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
    recordLag(this.context.metrics, this.name, chunk.rows, (this.context.now ?? Date.now)());
    let previous = -1;
    for (const rejection of rejected) {
      if (rejection.index === previous) continue;
      previous = rejection.index;
      const source = chunk.sources[rejection.index];
      const offset = source === undefined ? '' : describeSource(source);
      this.context.metrics.rejected.inc({ collector: this.name, reason: rejection.code });
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

  private forgetLag(topic: string, partition: number): void {
    this.context.metrics.partitionLag.remove({
      collector: this.name,
      topic,
      partition: String(partition),
    });
  }

  private backoff(): number {
    return backoffDelay(
      this.state.consecutiveFailures,
      this.options.backoff ?? defaultBackoff,
      this.dependencies.random,
    );
  }

  private markFailure(reason: string): void {
    this.state.lastError = reason;
    this.state.consecutiveFailures += 1;
    this.state.state = this.stopped ? 'stopped' : 'backoff';
    this.context.metrics.failures.inc({ collector: this.name });
  }

  private markSuccess(now: number): void {
    this.state.lastSuccessMs = now;
    this.state.lastError = null;
    this.state.consecutiveFailures = 0;
    this.state.state = this.stopped ? 'stopped' : 'running';
    this.context.metrics.lastSuccess.set({ collector: this.name }, now / 1000);
  }
}
