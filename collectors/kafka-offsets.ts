import type { KafkaRows } from './kafka-decode.ts';

/**
 * Offset bookkeeping of the Kafka collector. Offsets are decimal strings as kafkajs passes
 * them (int64 on the wire), so the arithmetic uses BigInt. A committed offset is the offset of
 * the next message to read, as Kafka defines it: the last stored message's offset plus one.
 */

/** Returns the offset after `offset`. */
export function nextOffset(offset: string): string {
  return (BigInt(offset) + 1n).toString();
}

/**
 * Returns the records between the committed offset and the partition's high watermark, which
 * is the offset the next produced message will get. Never negative.
 */
export function partitionLag(highWatermark: string, committed: string): number {
  const lag = BigInt(highWatermark) - BigInt(committed);
  return lag > 0n ? Number(lag) : 0;
}

/** A slice of a partition batch that is submitted and committed on its own. */
export interface RowChunk extends KafkaRows {
  /** Offset to commit once the chunk's rows are stored. */
  commitOffset: string;
}

/**
 * Splits decoded rows into chunks of at most `maxRows` rows, cutting only between messages,
 * so each commit covers whole messages. A message with more rows than `maxRows` forms a chunk
 * of its own. The last chunk commits `batchLastOffset + 1`, which also covers trailing
 * messages that a drop rule removed. Rejections are re-indexed to their chunk.
 */
export function splitAtMessages(
  decoded: KafkaRows,
  maxRows: number,
  batchLastOffset: string,
): RowChunk[] {
  const chunks: RowChunk[] = [];
  let start = 0;
  while (start < decoded.rows.length) {
    let end = Math.min(start + maxRows, decoded.rows.length);
    end = messageBoundary(decoded, start, end);
    chunks.push(sliceRows(decoded, start, end));
    start = end;
  }

  const last = chunks[chunks.length - 1];
  if (last === undefined) {
    chunks.push({ rows: [], sources: [], rejected: [], commitOffset: nextOffset(batchLastOffset) });
  } else {
    last.commitOffset = nextOffset(batchLastOffset);
  }
  return chunks;
}

/** Moves `end` back to the first row of its message, or forward past it when that empties the chunk. */
function messageBoundary(decoded: KafkaRows, start: number, end: number): number {
  const sources = decoded.sources;
  if (end >= sources.length) return end;

  let cut = end;
  while (cut > start && sources[cut]!.offset === sources[cut - 1]!.offset) cut -= 1;
  if (cut > start) return cut;

  // One message has more rows than fit: keep it whole.
  cut = end;
  while (cut < sources.length && sources[cut]!.offset === sources[cut - 1]!.offset) cut += 1;
  return cut;
}

function sliceRows(decoded: KafkaRows, start: number, end: number): RowChunk {
  const rejected = decoded.rejected
    .filter((rejection) => rejection.index >= start && rejection.index < end)
    .map((rejection) => ({ ...rejection, index: rejection.index - start }));
  return {
    rows: decoded.rows.slice(start, end),
    sources: decoded.sources.slice(start, end),
    rejected,
    commitOffset: nextOffset(decoded.sources[end - 1]!.offset),
  };
}

/**
 * The partitions this group member owns, as the last group join assigned them. The collector
 * commits a partition's offset only while it owns the partition.
 */
export class PartitionAssignment {
  private owned = new Set<string>();

  /** Replaces the assignment; returns the partitions lost since the previous one. */
  assign(assignment: Readonly<Record<string, readonly number[]>>): TopicPartition[] {
    const next = new Set<string>();
    for (const [topic, partitions] of Object.entries(assignment)) {
      for (const partition of partitions) next.add(key(topic, partition));
    }
    const lost = [...this.owned].filter((item) => !next.has(item)).map(parseKey);
    this.owned = next;
    return lost;
  }

  /** Forgets every partition, as after a disconnect; returns the ones it owned. */
  clear(): TopicPartition[] {
    return this.assign({});
  }

  owns(topic: string, partition: number): boolean {
    return this.owned.has(key(topic, partition));
  }

  list(): TopicPartition[] {
    return [...this.owned].map(parseKey);
  }
}

export interface TopicPartition {
  topic: string;
  partition: number;
}

// Topic names cannot contain a space, so it separates topic and partition without ambiguity.
function key(topic: string, partition: number): string {
  return `${topic} ${partition}`;
}

function parseKey(item: string): TopicPartition {
  const cut = item.lastIndexOf(' ');
  return { topic: item.slice(0, cut), partition: Number(item.slice(cut + 1)) };
}
