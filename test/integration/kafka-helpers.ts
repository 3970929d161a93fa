import { Kafka, logLevel, Partitioners, type Admin, type Producer } from 'kafkajs';

/**
 * Broker helpers of the Kafka integration tests. `KAFKA_BROKERS` is a comma-separated
 * host:port list; `.ci/run` starts a broker and sets it. `VIGIL_REQUIRE_SERVERS=1` turns a
 * missing broker from a skip into a failure.
 */
export const KAFKA_BROKERS = (process.env.KAFKA_BROKERS ?? '')
  .split(',')
  .map((broker) => broker.trim())
  .filter((broker) => broker !== '');

/** Returns the `skip` option of a test that needs the broker; throws when it is required. */
export function skipUnlessKafka(): false | string {
  if (KAFKA_BROKERS.length > 0) return false;
  const message = 'KAFKA_BROKERS is not set (.ci/run starts a broker with .ci/servers/kafka.sh)';
  if (process.env.VIGIL_REQUIRE_SERVERS === '1') {
    throw new Error(`${message} (VIGIL_REQUIRE_SERVERS=1 requires it)`);
  }
  return message;
}

export function testKafka(): Kafka {
  return new Kafka({ clientId: 'vigil-test', brokers: KAFKA_BROKERS, logLevel: logLevel.NOTHING });
}

/** Creates a topic and waits until every partition has a leader that serves offset requests. */
export async function createTopic(admin: Admin, topic: string, partitions: number): Promise<void> {
  await admin.createTopics({
    topics: [{ topic, numPartitions: partitions }],
    waitForLeaders: true,
  });
  for (let attempt = 0; ; attempt++) {
    try {
      const offsets = await admin.fetchTopicOffsets(topic);
      if (offsets.length === partitions) return;
    } catch (error) {
      if (attempt >= 50) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function connectedProducer(kafka: Kafka): Promise<Producer> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  return producer;
}

/** Sums the committed offsets of a group over the partitions of a topic; -1 counts as 0. */
export async function committedTotal(admin: Admin, groupId: string, topic: string) {
  const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
  let total = 0;
  for (const { offset } of entry?.partitions ?? []) total += Math.max(0, Number(offset));
  return total;
}

/** Reads the per-partition lag samples of a collector from a Prometheus text exposition. */
export function partitionLags(metricsText: string, collector: string): Map<string, number> {
  const lags = new Map<string, number>();
  for (const line of metricsText.split('\n')) {
    if (!line.startsWith('vigil_collector_partition_lag_records{')) continue;
    if (!line.includes(`collector="${collector}"`)) continue;
    const partition = /partition="(\d+)"/.exec(line)?.[1];
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (partition !== undefined) lags.set(partition, value);
  }
  return lags;
}
