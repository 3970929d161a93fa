import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Silence, SilenceMatcher, Silences } from '../../alerting/silence.ts';
import { silenceState } from '../../alerting/silence.ts';
import { parseMatcher } from '../../alerting/matchers.ts';
import { HttpError } from '../http-error.ts';

/** Largest accepted silence body; a silence is a few matchers and a comment. */
const BODY_LIMIT = '64kb';

/**
 * The silences API, shaped like Alertmanager's v2: `POST /api/v2/silences` creates (or, with
 * an `id`, replaces) a silence and responds `{ silenceID }`; `GET /api/v2/silences` lists them
 * with `status.state` (`pending`, `active`, `expired`) on the wall clock; `GET` and `DELETE
 * /api/v2/silence/:id` read and expire one. Times are RFC 3339 in and out.
 */
export function addSilenceRoutes(router: Router, silences: Silences): void {
  router.post('/api/v2/silences', parseJson, (request, response) => {
    const input = parseSilence(request.body as unknown);
    if (input.id !== undefined && silences.get(input.id) === undefined) {
      throw new HttpError(404, 'silence_not_found', `no silence with id ${input.id}`);
    }
    const silence = silences.upsert(input);
    response.status(200).json({ silenceID: silence.id });
  });

  router.get('/api/v2/silences', (_request, response) => {
    response.json(silences.list().map((silence) => format(silence, Date.now())));
  });

  router.get('/api/v2/silence/:id', (request, response) => {
    const silence = silences.get(request.params.id);
    if (silence === undefined) throw notFound(request.params.id);
    response.json(format(silence, Date.now()));
  });

  router.delete('/api/v2/silence/:id', (request, response) => {
    if (!silences.expire(request.params.id)) throw notFound(request.params.id);
    response.status(200).json({});
  });
}

const jsonParser = express.json({ limit: BODY_LIMIT });

/**
 * Parses the JSON body, and turns body-parser's errors (malformed JSON, a body over the limit,
 * a charset other than UTF-8) into 4xx responses. The error handler would send 500 for them.
 */
function parseJson(request: Request, response: Response, next: NextFunction): void {
  jsonParser(request, response, (error?: unknown) => {
    if (error === undefined) return next();
    const type = (error as { type?: unknown }).type;
    if (type === 'entity.parse.failed') {
      return next(
        new HttpError(
          400,
          'invalid_json',
          `the silence is not valid JSON: ${(error as Error).message}`,
        ),
      );
    }
    if (type === 'entity.too.large') {
      return next(
        new HttpError(
          413,
          'body_too_large',
          `the silence exceeds ${BODY_LIMIT}: shorten the comment or the matchers`,
        ),
      );
    }
    if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
      return next(
        new HttpError(
          415,
          'unsupported_media_type',
          'send the silence as UTF-8 JSON without Content-Encoding',
        ),
      );
    }
    next(error);
  });
}

function notFound(id: string): HttpError {
  return new HttpError(
    404,
    'silence_not_found',
    `no silence with id ${id}; list them with GET /api/v2/silences`,
  );
}

function format(silence: Silence, now: number) {
  return {
    id: silence.id,
    matchers: silence.matchers,
    startsAt: new Date(silence.startsAt).toISOString(),
    endsAt: new Date(silence.endsAt).toISOString(),
    createdBy: silence.createdBy,
    comment: silence.comment,
    updatedAt: new Date(silence.updatedAt).toISOString(),
    status: { state: silenceState(silence, now) },
  };
}

type SilenceInput = Omit<Silence, 'id' | 'updatedAt'> & { id?: string };

/** Validates a postable silence; every problem is a 400 naming the field and the fix. */
function parseSilence(body: unknown): SilenceInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid(
      'body',
      'expected a JSON object with matchers, startsAt, endsAt, createdBy, comment',
    );
  }
  const raw = body as Record<string, unknown>;
  const matchers = parseMatcherList(raw.matchers);
  const startsAt = parseTime(raw.startsAt, 'startsAt');
  const endsAt = parseTime(raw.endsAt, 'endsAt');
  if (endsAt <= startsAt) throw invalid('endsAt', 'expected a time after startsAt');
  for (const key of ['createdBy', 'comment'] as const) {
    if (typeof raw[key] !== 'string' || raw[key] === '') {
      throw invalid(key, 'expected a non-empty string');
    }
  }
  if (raw.id !== undefined && typeof raw.id !== 'string') throw invalid('id', 'expected a string');

  return {
    ...(typeof raw.id === 'string' ? { id: raw.id } : {}),
    matchers,
    startsAt,
    endsAt,
    createdBy: raw.createdBy as string,
    comment: raw.comment as string,
  };
}

function parseMatcherList(value: unknown): SilenceMatcher[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw invalid('matchers', 'expected a non-empty array of { name, value, isRegex, isEqual }');
  }
  return value.map((item: unknown, index) => {
    const m = (item ?? {}) as Record<string, unknown>;
    if (typeof m.name !== 'string' || typeof m.value !== 'string') {
      throw invalid(`matchers[${index}]`, 'expected string name and value');
    }
    const matcher: SilenceMatcher = {
      name: m.name,
      value: m.value,
      isRegex: m.isRegex === true,
      isEqual: m.isEqual !== false,
    };
    const operator = `${matcher.isEqual ? '' : '!'}${matcher.isRegex ? '=~' : '='}`.replace(
      '!=~',
      '!~',
    );
    const check = parseMatcher(`${matcher.name}${operator}${JSON.stringify(matcher.value)}`);
    if ('error' in check) throw invalid(`matchers[${index}]`, check.error);
    return matcher;
  });
}

function parseTime(value: unknown, field: string): number {
  const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time))
    throw invalid(field, 'expected an RFC 3339 time such as 2026-01-01T00:00:00Z');
  return time;
}

function invalid(field: string, expected: string): HttpError {
  return new HttpError(400, 'invalid_silence', `${field}: ${expected}`, { field });
}
