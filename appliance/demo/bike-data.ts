import { readFileSync } from 'node:fs';

/** One row of the UCI bike-sharing `hour.csv`, with its hour as an epoch-ms timestamp (UTC). */
export interface BikeHour {
  instant: number;
  timestamp: number;
  season: number;
  year: number;
  month: number;
  hour: number;
  holiday: number;
  weekday: number;
  workingday: number;
  weathersit: number;
  temp: number;
  atemp: number;
  hum: number;
  windspeed: number;
  cnt: number;
}

const COLUMNS = [
  'instant',
  'dteday',
  'season',
  'yr',
  'mnth',
  'hr',
  'holiday',
  'weekday',
  'workingday',
  'weathersit',
  'temp',
  'atemp',
  'hum',
  'windspeed',
  'casual',
  'registered',
  'cnt',
];

/**
 * Reads `hour.csv`. The file has no quoted fields, so a split on commas is exact; a header that
 * differs from the known one is rejected so a wrong file fails loudly instead of mis-mapping.
 */
export function readBikeHours(path: string): BikeHour[] {
  const lines = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((line) => line !== '');
  const header = lines[0]?.split(',') ?? [];
  if (header.join(',') !== COLUMNS.join(',')) {
    throw new Error(`${path}: unexpected header "${lines[0]}", expected "${COLUMNS.join(',')}"`);
  }

  return lines.slice(1).map((line, index) => parseRow(line, index + 2, path));
}

function parseRow(line: string, lineNumber: number, path: string): BikeHour {
  const cells = line.split(',');
  const number = (column: number): number => {
    const value = Number(cells[column]);
    if (!Number.isFinite(value)) {
      throw new Error(
        `${path}:${lineNumber}: column ${COLUMNS[column]} is "${cells[column]}", not a number`,
      );
    }
    return value;
  };
  const hour = number(5);

  return {
    instant: number(0),
    timestamp: Date.parse(`${cells[1]}T00:00:00Z`) + hour * 3_600_000,
    season: number(2),
    year: 2011 + number(3),
    month: number(4),
    hour,
    holiday: number(6),
    weekday: number(7),
    workingday: number(8),
    weathersit: number(9),
    temp: number(10),
    atemp: number(11),
    hum: number(12),
    windspeed: number(13),
    cnt: number(16),
  };
}
