import { readFileSync } from 'node:fs';

import { logLevel, type KafkaConfig, type LogEntry, type SASLOptions } from 'kafkajs';

import { RateLimitedLog } from '../appliance/ingest/rate-limited-log.ts';
import type { Logger } from '../appliance/log/logger.ts';

/** TLS settings of the broker connection; file paths are PEM files read at start. */
export interface KafkaTls {
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  /** Verify the broker certificate against the CA; default true. */
  rejectUnauthorized: boolean;
}

/** SASL settings; the config takes the username and password from `${ENV}` references. */
export interface KafkaSasl {
  mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  username: string;
  password: string;
}

export interface KafkaClientSettings {
  clientId: string;
  brokers: string[];
  tls?: KafkaTls;
  sasl?: KafkaSasl;
  /** Time to open a broker connection, in milliseconds. */
  connectionTimeoutMs: number;
}

/**
 * Builds the kafkajs client configuration. TLS files are read here, so a missing file fails
 * the collector's start with the path in the message. kafkajs' own retries stay short (3 tries
 * within about 3 s), because the collector restarts the consumer after its own jittered backoff.
 */
export function kafkaClientConfig(settings: KafkaClientSettings, logger: Logger): KafkaConfig {
  const config: KafkaConfig = {
    clientId: settings.clientId,
    brokers: settings.brokers,
    connectionTimeout: settings.connectionTimeoutMs,
    retry: { retries: 3, initialRetryTime: 300, maxRetryTime: 3_000 },
    logLevel: logLevel.INFO,
    logCreator: () => routeKafkaLog(logger),
  };
  if (settings.tls !== undefined) config.ssl = tlsOptions(settings.tls);
  if (settings.sasl !== undefined) config.sasl = saslOptions(settings.sasl);
  return config;
}

function tlsOptions(tls: KafkaTls): NonNullable<KafkaConfig['ssl']> {
  const options: Exclude<KafkaConfig['ssl'], boolean | undefined> = {
    rejectUnauthorized: tls.rejectUnauthorized,
  };
  if (tls.caFile !== undefined) options.ca = [readPem(tls.caFile, 'tls_ca_file')];
  if (tls.certFile !== undefined) options.cert = readPem(tls.certFile, 'tls_cert_file');
  if (tls.keyFile !== undefined) options.key = readPem(tls.keyFile, 'tls_key_file');
  return options;
}

function readPem(path: string, key: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as Error).message;
    throw new Error(`cannot read ${key} ${path} (${reason}); fix the path in the collector`, {
      cause: error,
    });
  }
}

function saslOptions(sasl: KafkaSasl): SASLOptions {
  const { username, password } = sasl;
  switch (sasl.mechanism) {
    case 'plain':
      return { mechanism: 'plain', username, password };
    case 'scram-sha-256':
      return { mechanism: 'scram-sha-256', username, password };
    case 'scram-sha-512':
      return { mechanism: 'scram-sha-512', username, password };
  }
}

/**
 * Returns a kafkajs log function that writes to the collector's pino logger as JSON fields:
 * the kafkajs namespace and the entry's own fields. Errors and warnings repeat on every retry
 * while a broker is down, so each distinct message is logged at most once per 10 s with the
 * count of repeats in `suppressed`.
 */
export function routeKafkaLog(logger: Logger): (entry: LogEntry) => void {
  const child = logger.child({ component: 'kafkajs' });
  const limited = new RateLimitedLog(child);
  return ({ namespace, level, log }) => {
    // pino stamps its own time and the child logger names the component, so those go.
    const fields: Record<string, unknown> = { namespace, ...log };
    delete fields.timestamp;
    delete fields.message;
    delete fields.logger;
    const message = log.message;
    const text = `kafkajs: ${message}`;
    if (level === logLevel.ERROR) limited.error(`${namespace}:${message}`, fields, text);
    else if (level === logLevel.WARN) limited.warn(`${namespace}:${message}`, fields, text);
    else if (level === logLevel.INFO) child.info(fields, text);
    else child.debug(fields, text);
  };
}
