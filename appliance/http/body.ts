import type { Request } from 'express';
import { reject, type Rejection } from '../ingest/rejection.ts';
import { HttpError } from './http-error.ts';

/** Rows read from a request body, before validation. */
export interface ParsedBody {
  /** One entry per record; an NDJSON line that is not JSON leaves `undefined` in its place. */
  rows: unknown[];
  /** Rows that could not be parsed, by index, with the line number in the reason. */
  rejected: Rejection[];
  /** For NDJSON, the 1-based line number of each row; null for JSON bodies. */
  lines: number[] | null;
}

const JSON_TYPES = new Set(['application/json']);
const NDJSON_TYPES = new Set(['application/x-ndjson', 'application/ndjson']);
const CONTENT_TYPE_FIX =
  'send Content-Type: application/json (an array or one object) or application/x-ndjson (one object per line)';

/**
 * Reads and parses a JSON array, a single JSON object or NDJSON, chosen by Content-Type.
 * Throws `HttpError` 415 for another type or encoding, 413 past `limitBytes` (the rest of the
 * body is read and discarded, see `discardRest`), 400 for a body that is not JSON.
 */
export async function readRows(request: Request, limitBytes: number): Promise<ParsedBody> {
  const format = requestFormat(request);
  const text = await readText(request, limitBytes);
  if (text.trim() === '') {
    throw new HttpError(400, 'empty_body', `the request body is empty: ${CONTENT_TYPE_FIX}`);
  }
  return format === 'ndjson' ? parseNdjson(text) : parseJson(text);
}

function requestFormat(request: Request): 'json' | 'ndjson' {
  const encoding = request.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
    const message = `Content-Encoding ${encoding} is not supported: send the body uncompressed`;
    throw new HttpError(415, 'unsupported_encoding', message);
  }

  const header = request.headers['content-type'] ?? '';
  const [mediaType = '', ...parameters] = header
    .split(';')
    .map((part) => part.trim().toLowerCase());
  const charset = parameters.find((parameter) => parameter.startsWith('charset='));
  if (charset !== undefined && !['charset=utf-8', 'charset="utf-8"'].includes(charset)) {
    const message = `${charset} is not supported: encode the body as UTF-8`;
    throw new HttpError(415, 'unsupported_media_type', message);
  }
  if (JSON_TYPES.has(mediaType)) {
    return 'json';
  }
  if (NDJSON_TYPES.has(mediaType)) {
    return 'ndjson';
  }
  const given = header === '' ? 'missing' : JSON.stringify(header.slice(0, 100));
  throw new HttpError(
    415,
    'unsupported_media_type',
    `Content-Type is ${given}: ${CONTENT_TYPE_FIX}`,
  );
}

function tooLarge(limitBytes: number): HttpError {
  const message =
    `the request body exceeds the limit of ${limitBytes} bytes: split it into smaller batches ` +
    'or raise http.body_limit_bytes in appliance.yaml';
  return new HttpError(413, 'body_too_large', message, { limit_bytes: limitBytes });
}

/** Time a rejected body may keep arriving before the connection is closed, in milliseconds. */
const LINGER_MS = 10_000;

/**
 * Reads and discards the rest of a rejected body. Closing the connection while the client is
 * still sending makes the kernel reject its data with a reset, and the client then sees a
 * write error instead of the 413. A body still arriving after `LINGER_MS` is cut off.
 */
function discardRest(request: Request): void {
  request.resume();
  if (request.complete) return;

  const timer = setTimeout(() => request.socket.destroy(), LINGER_MS);
  timer.unref();
  const stop = () => clearTimeout(timer);
  request.once('end', stop);
  request.once('close', stop);
}

/** Reads the body as UTF-8 text, stopping at the limit without buffering the rest. */
function readText(request: Request, limitBytes: number): Promise<string> {
  const declared = Number(request.headers['content-length'] ?? NaN);
  if (declared > limitBytes) {
    discardRest(request);
    return Promise.reject(tooLarge(limitBytes));
  }

  return new Promise((resolve, rejectPromise) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limitBytes) {
        request.off('data', onData);
        discardRest(request);
        rejectPromise(tooLarge(limitBytes));
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.once('error', (error) =>
      rejectPromise(new HttpError(400, 'body_read_failed', error.message)),
    );
    request.once('end', () => {
      if (received > limitBytes) return;
      // A throw here would escape every handler, because it runs in an event listener.
      try {
        resolve(decodeUtf8(Buffer.concat(chunks, received)));
      } catch (error) {
        rejectPromise(error);
      }
    });
  });
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function decodeUtf8(bytes: Buffer): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new HttpError(
      400,
      'invalid_utf8',
      'the request body is not valid UTF-8: encode it as UTF-8',
    );
  }
}

function parseJson(text: string): ParsedBody {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const where = locate(text, error);
    const message = `the request body is not valid JSON${where}: ${(error as Error).message}`;
    throw new HttpError(400, 'invalid_json', message);
  }

  if (Array.isArray(value)) {
    if (value.length === 0) {
      throw new HttpError(
        400,
        'empty_body',
        'the request body is an empty array: send at least one row',
      );
    }
    return { rows: value, rejected: [], lines: null };
  }
  if (typeof value === 'object' && value !== null) {
    return { rows: [value], rejected: [], lines: null };
  }
  const message = `the request body is ${value === null ? 'null' : typeof value}: send a JSON array of objects or a single object`;
  throw new HttpError(400, 'invalid_body', message);
}

/** Turns the `position N` of V8's JSON.parse message into ` at line L, column C`. */
function locate(text: string, error: unknown): string {
  const match = /position (\d+)/.exec(error instanceof Error ? error.message : '');
  if (match === null) {
    return '';
  }
  const position = Number(match[1]);
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return ` at line ${line}, column ${column}`;
}

/** Parses one JSON value per line; blank lines are skipped, a bad line becomes a rejection. */
function parseNdjson(text: string): ParsedBody {
  const rows: unknown[] = [];
  const rejected: Rejection[] = [];
  const lines: number[] = [];
  const parts = text.split('\n');

  for (let i = 0; i < parts.length; i++) {
    const line = parts[i]!;
    if (line.trim() === '') {
      continue;
    }
    try {
      rows.push(JSON.parse(line));
    } catch (error) {
      const reason = `line ${i + 1} is not valid JSON (${(error as Error).message}): send one JSON object per line`;
      reject(rejected, rows.length, '', line, 'invalid_json', reason);
      rows.push(undefined);
    }
    lines.push(i + 1);
  }
  return { rows, rejected, lines };
}
