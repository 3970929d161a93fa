import { resolve } from 'node:path';

import type { Reader } from './config-reader.ts';
import type { KafkaSasl, KafkaTls } from './kafka-client.ts';
import type { KafkaCollectorOptions } from './kafka-collector.ts';

/** The validated `kind: kafka` entry of `collectors:`, durations in milliseconds. */
export type KafkaSpec = { kind: 'kafka' } & KafkaCollectorOptions;

const BROKER = /^[^\s:]+:\d{1,5}$/;
// Kafka topic names: 1 to 249 characters of letters, digits, '.', '_' and '-'.
const TOPIC = /^[A-Za-z0-9._-]{1,249}$/;
const mechanisms = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

/**
 * Reads the keys of a `kind: kafka` collector. Every problem goes to the reader, which reports
 * it at its `file:line:column`. TLS file paths resolve against `base`, the config file's folder.
 */
export function kafkaSpecFrom(reader: Reader, name: string, base: string): KafkaSpec {
  const brokers = reader.strings('brokers', []);
  if (brokers.length === 0) reader.problem(['brokers'], 'expected at least one broker host:port');
  for (const broker of brokers) {
    if (!BROKER.test(broker)) {
      reader.problem(['brokers'], `got ${JSON.stringify(broker)}, expected host:port`);
    }
  }
  const topics = reader.strings('topics', []);
  if (topics.length === 0) reader.problem(['topics'], 'expected at least one topic');
  for (const topic of topics) {
    if (!TOPIC.test(topic)) {
      const expected = 'a topic name of letters, digits, ".", "_" and "-"';
      reader.problem(['topics'], `got ${JSON.stringify(topic)}, expected ${expected}`);
    }
  }

  const tls = tlsFrom(reader, base);
  const sasl = saslFrom(reader);
  return {
    kind: 'kafka',
    name,
    brokers,
    topics,
    groupId: reader.string('group_id', 'vigil', /^\S{1,255}$/)!,
    clientId: reader.string('client_id', `vigil-${name}`, /^\S{1,255}$/)!,
    format: reader.oneOf('format', ['json', 'ndjson'] as const, 'json') ?? 'json',
    fromBeginning: reader.boolean('from_beginning', true),
    batchRecords: reader.integer('batch_records', 5_000),
    sessionTimeoutMs: reader.duration('session_timeout', '30s'),
    connectionTimeoutMs: reader.duration('connection_timeout', '10s'),
    lagIntervalMs: reader.duration('lag_interval', '15s'),
    mapping: reader.mapping('events'),
    ...(tls === undefined ? {} : { tls }),
    ...(sasl === undefined ? {} : { sasl }),
  };
}

function tlsFrom(reader: Reader, base: string): KafkaTls | undefined {
  const enabled = reader.boolean('tls', false);
  const caFile = reader.optionalString('tls_ca_file');
  const certFile = reader.optionalString('tls_cert_file');
  const keyFile = reader.optionalString('tls_key_file');
  const rejectUnauthorized = reader.boolean('tls_reject_unauthorized', true);
  if (!enabled) {
    if (caFile !== undefined || certFile !== undefined || keyFile !== undefined) {
      reader.problem(['tls'], 'tls_* files are set but tls is false; set tls: true');
    }
    return undefined;
  }
  if ((certFile === undefined) !== (keyFile === undefined)) {
    reader.problem(['tls'], 'set both tls_cert_file and tls_key_file, or neither');
  }

  const tls: KafkaTls = { rejectUnauthorized };
  if (caFile !== undefined) tls.caFile = resolve(base, caFile);
  if (certFile !== undefined) tls.certFile = resolve(base, certFile);
  if (keyFile !== undefined) tls.keyFile = resolve(base, keyFile);
  return tls;
}

function saslFrom(reader: Reader): KafkaSasl | undefined {
  const mechanism = reader.optionalString('sasl_mechanism');
  if (mechanism === undefined) return undefined;
  const checked = reader.oneOf('sasl_mechanism', mechanisms, undefined);
  // The values come from ${ENV} references; messages never repeat them.
  const username = reader.secret('sasl_username');
  const password = reader.secret('sasl_password');
  if (checked === undefined || username === undefined || password === undefined) return undefined;
  return { mechanism: checked, username, password };
}
