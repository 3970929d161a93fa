import type { ModelInput } from './bike-model.ts';

/**
 * A `POST /predict` body: the hour to forecast (RFC 3339) and its features, in the shape of a
 * bike event's `features` (categorical columns as strings, flags as booleans, and the weather
 * columns normalised to [0, 1] as in the UCI dataset).
 */
export interface PredictRequest {
  timestamp: string;
  features: Record<string, unknown>;
}

/** A request the server rejects: the HTTP status, a stable code and a message with the fix. */
export interface RequestProblem {
  status: 400 | 422;
  code: 'invalid_body' | 'out_of_range';
  message: string;
}

export type ParsedRequest = { ok: true; time: number; input: ModelInput } | RequestProblem;

/** Weather columns, normalised by the dataset's maxima (temp 41 °C, hum 100%, wind 67 km/h). */
const UNIT_COLUMNS = ['temp', 'atemp', 'hum', 'windspeed'] as const;

/**
 * Parses and checks a request body. A body that is not JSON or lacks a field is a 400. A value
 * outside its physical range is a 422. That includes a relative humidity of 0, which the
 * dataset reports on 2011-03-10 while its humidity sensor was out.
 */
export function parsePredictRequest(body: string): ParsedRequest {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    return invalid('body is not JSON: send {"timestamp": "...", "features": {...}}');
  }
  const request = raw as Partial<PredictRequest> | null;
  const time = typeof request?.timestamp === 'string' ? Date.parse(request.timestamp) : NaN;
  if (!Number.isFinite(time)) {
    return invalid(`timestamp is ${JSON.stringify(request?.timestamp)}: send an RFC 3339 time`);
  }
  const features = request?.features;
  if (typeof features !== 'object' || features === null) {
    return invalid('features is missing: send the hour, weather and calendar features');
  }

  return parseFeatures(features, time);
}

function parseFeatures(features: Record<string, unknown>, time: number): ParsedRequest {
  const hour = features.hour;
  if (typeof hour !== 'number' || !Number.isInteger(hour) || hour < 0 || hour > 23) {
    return invalid(`features.hour is ${JSON.stringify(hour)}: send an integer from 0 to 23`);
  }
  const weathersit = Number(features.weathersit);
  if (!Number.isInteger(weathersit) || weathersit < 1 || weathersit > 4) {
    const got = JSON.stringify(features.weathersit);
    return invalid(`features.weathersit is ${got}: send "1" (clear) to "4" (heavy rain)`);
  }
  const flags: Record<string, number> = {};
  for (const name of ['workingday', 'holiday']) {
    if (typeof features[name] !== 'boolean') {
      return invalid(`features.${name} is ${JSON.stringify(features[name])}: send true or false`);
    }
    flags[name] = features[name] ? 1 : 0;
  }

  const weather: Record<string, number> = {};
  for (const name of UNIT_COLUMNS) {
    const value = features[name];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      return invalid(`features.${name} is ${JSON.stringify(value)}: send a number from 0 to 1`);
    }
    const low = name === 'hum' ? value <= 0 : value < 0;
    if (low || value > 1) return outOfRange(name, value);
    weather[name] = value;
  }

  return {
    ok: true,
    time,
    input: {
      hour,
      weathersit,
      workingday: flags.workingday!,
      holiday: flags.holiday!,
      temp: weather.temp!,
      atemp: weather.atemp!,
      hum: weather.hum!,
      windspeed: weather.windspeed!,
    },
  };
}

function invalid(message: string): RequestProblem {
  return { status: 400, code: 'invalid_body', message };
}

function outOfRange(name: string, value: number): RequestProblem {
  const range = name === 'hum' ? 'above 0 and at most 1' : 'from 0 to 1';
  const fix = name === 'hum' ? '; a humidity of 0 means the sensor is out' : '';
  return {
    status: 422,
    code: 'out_of_range',
    message: `features.${name} is ${value}: expected a normalised value ${range}${fix}`,
  };
}
