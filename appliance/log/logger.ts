import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/**
 * Creates the root JSON logger. Components take a child: `logger.child({ component: 'ingest' })`,
 * and put ids in fields (`rule`, `alert`, `stream`, `requestId`), never in the message text.
 */
export function createLogger(options: { level?: string; destination?: number | string } = {}) {
  const config: LoggerOptions = {
    level: options.level ?? 'info',
    base: { service: 'vigil' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        'token',
        '*.token',
        'authorization',
        '*.authorization',
        '*.headers.authorization',
        '*.*.authorization',
      ],
      censor: '[redacted]',
    },
  };
  return pino(config, pino.destination(options.destination ?? 1));
}

/** A logger that discards everything, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
