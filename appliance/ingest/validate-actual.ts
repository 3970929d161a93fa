import type { ActualUpdate } from '../core/types.ts';
import type { IngestLimits } from './limits.ts';
import { STREAM_NAME, STREAM_NAME_RULE, isPlainText, isRecord, own } from './names.ts';
import { reject, type Rejection } from './rejection.ts';
import { outcomeProblem } from './validate-value.ts';

/**
 * Validates one late actual, `{stream, id, actual}` on the wire (`model` and `event_id` are
 * accepted as aliases, as for events). Problems go to `rejections`; the update is returned
 * only when there are none. Joining it to a stored event is the store's work.
 */
export function validateActual(
  raw: unknown,
  index: number,
  limits: IngestLimits,
  rejections: Rejection[],
): ActualUpdate | null {
  if (!isRecord(raw)) {
    const reason = 'each actual must be an object such as {"stream": "m", "id": "1", "actual": 3}';
    reject(rejections, index, '', raw, 'invalid_row', reason);
    return null;
  }

  const before = rejections.length;
  const stream = own(raw, 'stream') ?? own(raw, 'model');
  const id = own(raw, 'id') ?? own(raw, 'event_id');
  const actual = own(raw, 'actual');

  if (typeof stream !== 'string' || !STREAM_NAME.test(stream)) {
    const code = stream === undefined || stream === null ? 'missing_field' : 'invalid_stream';
    reject(rejections, index, 'stream', stream, code, `invalid stream: ${STREAM_NAME_RULE}`);
  }
  const idText = normaliseId(id);
  if (idText === null) {
    const code = id === undefined || id === null ? 'missing_field' : 'invalid_id';
    const reason = 'id must be the event id the prediction was sent with (string or integer)';
    reject(rejections, index, 'id', id, code, reason);
  }
  const problem =
    actual === undefined || actual === null
      ? 'actual is missing: send the observed outcome, a number or a class label string'
      : outcomeProblem(actual, limits.maxStringLength);
  if (problem !== null) {
    const code = actual === undefined || actual === null ? 'missing_field' : 'invalid_actual';
    reject(rejections, index, 'actual', actual, code, problem);
  }

  if (rejections.length > before) {
    return null;
  }
  return { stream: stream as string, id: idText!, actual: actual as number | string };
}

function normaliseId(id: unknown): string | null {
  if (typeof id === 'string' && isPlainText(id, 256)) {
    return id;
  }
  if (typeof id === 'number' && Number.isSafeInteger(id)) {
    return String(id);
  }
  return null;
}
