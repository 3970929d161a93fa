import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';

/** One NAB series: the file's name, its points, and its labelled anomaly windows. */
export interface NabSeries {
  file: string;
  timestamps: number[];
  values: number[];
  windows: Array<{ start: number; end: number }>;
}

/** Parses NAB's `YYYY-MM-DD HH:MM:SS[.ffffff]` timestamps, which carry no zone, as UTC. */
export function parseNabTime(text: string): number {
  const time = Date.parse(`${text.replace(' ', 'T').slice(0, 23)}Z`);
  if (!Number.isFinite(time)) throw new Error(`invalid NAB timestamp "${text}"`);
  return time;
}

/** Reads every CSV of one NAB category with its windows from `combined_windows.json`. */
export function readNabCategory(root: string, category: string): NabSeries[] {
  const windowsByFile = JSON.parse(
    readFileSync(join(root, 'labels', 'combined_windows.json'), 'utf8'),
  ) as Record<string, [string, string][]>;
  const directory = join(root, 'data', category);

  return readdirSync(directory)
    .filter((name) => name.endsWith('.csv'))
    .sort()
    .map((name) => {
      const series = readNabFile(join(directory, name));
      const windows = windowsByFile[`${category}/${name}`] ?? [];
      series.windows = windows.map(([start, end]) => ({
        start: parseNabTime(start),
        end: parseNabTime(end),
      }));
      return series;
    });
}

export function readNabFile(path: string): NabSeries {
  const lines = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((line) => line !== '');
  if (lines[0] !== 'timestamp,value') {
    throw new Error(`${path}: unexpected header "${lines[0]}", expected "timestamp,value"`);
  }
  const timestamps: number[] = [];
  const values: number[] = [];

  for (let index = 1; index < lines.length; index++) {
    const [time, value] = lines[index]!.split(',');
    const number = Number(value);
    if (time === undefined || !Number.isFinite(number)) {
      throw new Error(`${path}:${index + 1}: invalid row "${lines[index]}"`);
    }
    timestamps.push(parseNabTime(time));
    values.push(number);
  }
  return { file: basename(path), timestamps, values, windows: [] };
}

/** Returns the ticker of a NAB tweet-volume file, such as `AAPL` for `Twitter_volume_AAPL.csv`. */
export function tickerOf(file: string): string {
  return file.replace(/^Twitter_volume_/, '').replace(/\.csv$/, '');
}
