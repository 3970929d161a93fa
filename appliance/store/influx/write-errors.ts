/**
 * Classifies what node-influx's `writePoints` rejected with. Its pool turns a 5xx and a
 * timeout into `ServiceNotAvailableError`; a 4xx becomes `RequestError` with the body in the
 * message; network failures keep their `code`.
 */
export type WriteFailure =
  | { kind: 'retry'; message: string }
  | { kind: 'bad_points'; lines: BadLine[]; message: string }
  | { kind: 'fatal'; status: number; message: string };

/** One line InfluxDB refused in a 400 "partial write" answer. */
export interface BadLine {
  reason: string;
  line?: string;
}

const RETRY_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);

export function classifyWriteError(error: unknown): WriteFailure {
  const e = error as {
    name?: string;
    code?: string;
    message?: string;
    res?: { statusCode?: number };
  };
  const message = String(e.message ?? error);
  const status = e.res?.statusCode;

  if (status === undefined) return { kind: 'retry', message };
  if (status >= 500 || status === 408 || (e.code !== undefined && RETRY_CODES.has(e.code))) {
    return { kind: 'retry', message };
  }
  if (status === 400) return { kind: 'bad_points', lines: parseBadLines(message), message };
  return { kind: 'fatal', status, message };
}

/**
 * Reads InfluxDB 1.x's 400 body: `unable to parse '<line>': <reason>` per bad line, or one
 * `field type conflict: ...` clause with a `dropped=N` total.
 */
export function parseBadLines(message: string): BadLine[] {
  const lines: BadLine[] = [];
  for (const match of message.matchAll(
    /unable to parse '((?:[^'\\]|\\.)*)': ([^\n"]*?)(?=\\n|$| dropped=|")/g,
  )) {
    lines.push({ line: match[1], reason: match[2]!.trim() });
  }
  if (lines.length > 0) return lines;

  const dropped = /dropped=(\d+)/.exec(message);
  const reason = /partial write: ([^"]*?)(?: dropped=\d+|"|$)/.exec(message)?.[1] ?? message;
  const count = dropped ? Number(dropped[1]) : 1;
  return Array.from({ length: count }, () => ({ reason: reason.trim() }));
}
