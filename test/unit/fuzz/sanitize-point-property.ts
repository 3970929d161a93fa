import { InfluxDB, type IPoint } from 'influx';
import fc from 'fast-check';
import type { InfluxPoint } from '../../../appliance/store/influx/influx-layout.ts';
import { sanitizePoint } from '../../../appliance/store/influx/sanitize-point.ts';
import { parseLine, type ParsedLine } from './line-protocol.ts';

/** Characters that line protocol escapes or rejects, mixed into names and values. */
const hostileText = fc.oneof(
  fc.string(),
  fc.string({
    unit: fc.constantFrom('a', '0', ',', '=', ' ', '\\', '"', "'", '#', '\n', '\r', '\t', 'é'),
  }),
);

const fieldValue = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.boolean(),
  hostileText,
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0, 1e21, 5e-324),
);

const influxPoint = fc.record({
  measurement: hostileText,
  tags: fc.dictionary(hostileText, hostileText, { maxKeys: 4 }),
  fields: fc.dictionary(fc.oneof(hostileText, fc.constantFrom('value', '_reason')), fieldValue, {
    maxKeys: 4,
  }),
  timestamp: fc.oneof(
    fc.integer({ min: -1e12, max: 4e12 }),
    fc.double(),
    fc.constantFrom(0, Number.NaN),
  ),
});

/**
 * Returns the text node-influx 5.12 sends for one point with `precision: 'ms'`. It replaces
 * the client's private connection pool, so nothing goes to the network.
 */
function serialise(point: InfluxPoint): string {
  const influx = new InfluxDB({ host: '127.0.0.1', database: 'fuzz' });
  let body: string | undefined;
  const internals = influx as unknown as { _pool: { discard(request: { body: string }): unknown } };
  internals._pool = {
    discard(request) {
      body = request.body;
      return Promise.resolve();
    },
  };
  void influx.writePoints([point as IPoint], { precision: 'ms' });
  if (body === undefined) throw new Error('node-influx sent no body');
  return body;
}

/** Returns the line a point should parse back to: the input after the sanitiser's fixes. */
function expectedLine(point: InfluxPoint): ParsedLine {
  const tags: Record<string, string> = Object.create(null);
  for (const [key, value] of Object.entries(point.tags)) {
    const cleanKey = key.replace(/[\r\n]/g, '');
    const cleanValue = value.replace(/[\r\n]/g, '');
    if (cleanKey !== '' && cleanValue !== '') tags[cleanKey] = cleanValue;
  }

  const fields: ParsedLine['fields'] = Object.create(null);
  for (const [key, value] of Object.entries(point.fields)) {
    if (typeof value === 'number' && !Number.isFinite(value)) continue;
    fields[key] =
      typeof value === 'string' ? value.replace(/[\r\n]/g, ' ').replace(/\\+'/g, "'") : value;
  }
  const measurement = point.measurement.replace(/[\r\n]/g, '');
  return { measurement, tags, fields, timestamp: point.timestamp };
}

function sameLine(parsed: ParsedLine, expected: ParsedLine): boolean {
  return JSON.stringify(sorted(parsed)) === JSON.stringify(sorted(expected));
}

function sorted(line: ParsedLine): unknown {
  const byKey = ([a]: [string, unknown], [b]: [string, unknown]) => (a < b ? -1 : 1);
  const entries = (record: Record<string, unknown>) => Object.entries(record).sort(byKey);
  return [line.measurement, entries(line.tags), entries(line.fields), line.timestamp];
}

/**
 * Any point yields a rejection with a reason and a message, or a point that node-influx
 * serialises to exactly one line. A strict parser reads that line back with the measurement,
 * tags, fields and timestamp of the input, after the documented fixes.
 */
export const sanitizePointProperty = fc.property(influxPoint, (point) => {
  const outcome = sanitizePoint(point);
  if (!outcome.ok) {
    return outcome.rejection.reason.length > 0 && outcome.rejection.message.length > 0;
  }

  const line = serialise(outcome.point);
  const parsed = parseLine(line);
  if (!sameLine(parsed, expectedLine(point))) {
    throw new Error(`line ${JSON.stringify(line)} parses to ${JSON.stringify(sorted(parsed))}`);
  }
  return true;
});
