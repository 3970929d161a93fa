import type { Rejection } from '../appliance/ingest/rejection.ts';
import { applyMapping, type Mapping } from './mapping.ts';

/** Message value format: one JSON document, or one JSON document per line. */
export type KafkaFormat = 'json' | 'ndjson';

/** The part of a kafkajs message the decoder reads. */
export interface KafkaMessageLike {
  offset: string;
  value: Buffer | null;
}

/** Origin of a row: the message offset and, for several records per message, the position. */
export interface RowSource {
  offset: string;
  /** 0-based record position inside the message; absent when the message is one JSON object. */
  record?: number;
}

/** Rows decoded from the messages of one partition, ready for `submitEvents` or `submitPoints`. */
export interface KafkaRows {
  /** Mapped rows; null at the positions listed in `rejected`. */
  rows: unknown[];
  /** Source of each row, by its position in `rows`. */
  sources: RowSource[];
  /** Rows rejected before ingest validation, indexed by their position in `rows`. */
  rejected: Rejection[];
}

/** A decoded message: its records, or the reason it cannot be read. */
type DecodedValue = { records: unknown[]; several: boolean } | { reason: string };

/**
 * Decodes and maps the messages of one partition. A message whose value is missing or is not
 * JSON is rejected whole. In NDJSON a bad line rejects that line only, and the other lines of
 * the message are kept. Records a drop rule matches are left out.
 *
 * An event row without `id` or `event_id` gets `<topic>:<partition>:<offset>`, with
 * `:<record>` appended for NDJSON and JSON-array messages. A message delivered twice after a
 * crash therefore gets the same id twice, and ingest dedupe by event id drops the repeat.
 */
export function decodeMessages(
  topic: string,
  partition: number,
  messages: readonly KafkaMessageLike[],
  format: KafkaFormat,
  mapping: Mapping,
): KafkaRows {
  const out: KafkaRows = { rows: [], sources: [], rejected: [] };
  for (const message of messages) {
    const decoded = decodeValue(message.value, format);
    if ('reason' in decoded) {
      rejectRow(out, { offset: message.offset }, decoded.reason);
      continue;
    }

    decoded.records.forEach((record, position) => {
      const source: RowSource = decoded.several
        ? { offset: message.offset, record: position }
        : { offset: message.offset };
      if (record instanceof LineError) {
        rejectRow(out, source, record.reason);
        return;
      }
      addRecord(out, source, record, mapping, `${topic}:${partition}:${describeSource(source)}`);
    });
  }
  return out;
}

/** Renders a source as `offset` or `offset:record`, the suffix of a default event id. */
export function describeSource(source: RowSource): string {
  return source.record === undefined ? source.offset : `${source.offset}:${source.record}`;
}

function addRecord(
  out: KafkaRows,
  source: RowSource,
  record: unknown,
  mapping: Mapping,
  defaultId: string,
): void {
  const index = out.rows.length;
  const mapped = applyMapping(mapping, record, index, out.rejected);
  if ('dropped' in mapped) return;

  if ('row' in mapped) {
    const row = mapped.row;
    if (mapping.target === 'events' && row.id === undefined && row.event_id === undefined) {
      row.id = defaultId;
    }
    out.rows.push(row);
  } else {
    out.rows.push(null);
  }
  out.sources.push(source);
}

function rejectRow(out: KafkaRows, source: RowSource, reason: string): void {
  const index = out.rows.length;
  out.rows.push(null);
  out.sources.push(source);
  out.rejected.push({ index, field: '', value: '', code: 'invalid_row', reason });
}

/** A bad NDJSON line, kept in place so the lines after it keep their record positions. */
class LineError {
  constructor(readonly reason: string) {}
}

function decodeValue(value: Buffer | null, format: KafkaFormat): DecodedValue {
  if (value === null || value.length === 0) {
    return { reason: 'message has no value (a tombstone or an empty message); send a JSON record' };
  }
  const text = value.toString('utf8');
  if (format === 'ndjson') return decodeNdjsonValue(text);

  const parsed = parseJson(text);
  if (parsed instanceof LineError) {
    return { reason: `value is ${parsed.reason}; send one JSON object or array per message` };
  }
  if (Array.isArray(parsed)) return { records: parsed, several: true };
  return { records: [parsed], several: false };
}

function decodeNdjsonValue(text: string): DecodedValue {
  const records: unknown[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const parsed = parseJson(line);
    records.push(
      parsed instanceof LineError
        ? new LineError(`line ${index + 1} is ${parsed.reason}; write one JSON object per line`)
        : parsed,
    );
  });
  return { records, several: true };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const detail = (error as Error).message;
    return new LineError(`not valid JSON (${detail})`);
  }
}
