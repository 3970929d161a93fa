import {
  Kafka,
  type Consumer,
  type ConsumerCrashEvent,
  type ConsumerGroupJoinEvent,
  type KafkaConfig,
} from 'kafkajs';

import type { Logger } from '../appliance/log/logger.ts';
import type { BackoffOptions } from './backoff.ts';
import type { Collector, CollectorContext, CollectorHealth } from './collector.ts';
import { KafkaBatchHandler, type MessageRejection } from './kafka-batch.ts';
import { kafkaClientConfig, type KafkaSasl, type KafkaTls } from './kafka-client.ts';
import type { KafkaFormat } from './kafka-decode.ts';
import { KafkaHealth } from './kafka-health.ts';
import { LagMonitor } from './kafka-lag.ts';
import { PartitionAssignment } from './kafka-offsets.ts';
import type { Mapping } from './mapping.ts';

export type { MessageRejection } from './kafka-batch.ts';

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

/** Test seams: a kafkajs client factory and the random source of the backoff. */
export interface KafkaCollectorDependencies {
  createKafka?: (config: KafkaConfig) => Kafka;
  random?: () => number;
}

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
  private readonly assignment = new PartitionAssignment();
  private readonly state: KafkaHealth;
  private readonly batches: KafkaBatchHandler;
  private consumer: Consumer | undefined;
  private lagMonitor: LagMonitor | undefined;
  private launching: Promise<void> | undefined;
  private restartTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: KafkaCollectorOptions,
    private readonly context: CollectorContext,
    private readonly dependencies: KafkaCollectorDependencies = {},
  ) {
    this.name = options.name;
    this.logger = context.logger.child({ collector: options.name });
    this.state = new KafkaHealth(
      options.name,
      context.metrics,
      options.backoff,
      dependencies.random,
    );
    this.batches = new KafkaBatchHandler({
      collector: options.name,
      format: options.format,
      mapping: options.mapping,
      batchRecords: options.batchRecords,
      context,
      logger: this.logger,
      assignment: this.assignment,
      health: this.state,
    });
  }

  /** Builds the client (reading TLS files) and starts the consumer without waiting for the broker. */
  async start(): Promise<void> {
    if (!this.state.isStopped) return;
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
    this.state.running();
    this.logger.info(
      { brokers: this.options.brokers, topics: this.options.topics, groupId: this.options.groupId },
      'collector started',
    );
    this.launch(kafka);
  }

  /** Stops consuming; kafkajs waits for the batch in flight, whose stored rows are committed. */
  async stop(): Promise<void> {
    if (this.state.isStopped) return;
    this.state.stopping();
    clearTimeout(this.restartTimer);
    await this.launching;
    await this.lagMonitor?.stop();
    const partitions = this.assignment.list();
    await this.disconnect();
    this.state.stoppedNow();
    this.logger.info({ partitions }, 'collector stopped');
  }

  health(): CollectorHealth {
    return this.state.snapshot();
  }

  /** Lists the latest rejected messages, oldest first, at most 100. */
  rejections(): readonly MessageRejection[] {
    return this.batches.rejections();
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
      eachBatch: (payload) => this.batches.consume(payload),
    });
  }

  private joined(event: ConsumerGroupJoinEvent): void {
    const assigned = event.payload.memberAssignment;
    const lost = this.assignment.assign(assigned);
    for (const { topic, partition } of lost) this.forgetLag(topic, partition);
    this.state.joined();
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
    const delayMs = this.state.failure(reason);
    this.logger.error({ err: error, groupId: this.options.groupId }, 'kafka consumer failed');
    await this.disconnect();
    if (this.state.isStopped) return;

    const failures = this.state.snapshot().consecutiveFailures;
    this.logger.warn({ delayMs, failures }, 'collector retrying');
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      if (!this.state.isStopped) this.launch(kafka);
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

  private forgetLag(topic: string, partition: number): void {
    this.context.metrics.partitionLag.remove({
      collector: this.name,
      topic,
      partition: String(partition),
    });
  }
}
