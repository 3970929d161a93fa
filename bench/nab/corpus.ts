import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

import { parseNabTimestamp } from './timestamps.ts';

/** One NAB data file: rows in file order, which is the order NAB scores them in. */
export interface NabSeries {
  /** Path relative to the data folder with `/` separators, as keyed in `combined_windows.json`. */
  key: string;
  /** First folder of `key`, such as `realTweets`. */
  category: string;
  /** Epoch ms (UTC), one per row; NAB files may repeat a timestamp or step back in time. */
  timestamps: number[];
  values: number[];
}

/** Lists the CSV files under `dataDir`, at any depth, sorted by key. */
export function listCsvFiles(dataDir: string): string[] {
  const entries = readdirSync(dataDir, { recursive: true, encoding: 'utf8' });
  return entries
    .filter((entry) => entry.endsWith('.csv'))
    .map((entry) => relative(dataDir, join(dataDir, entry)).split(sep).join('/'))
    .sort();
}

/** Reads one NAB data file with the header `timestamp,value`; throws naming the bad line. */
export function readSeries(dataDir: string, key: string): NabSeries {
  const path = join(dataDir, key);
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  const header = lines[0]?.trim();
  if (header !== 'timestamp,value') {
    throw new Error(`${path}:1: invalid header "${header}", expected "timestamp,value"`);
  }

  const timestamps: number[] = [];
  const values: number[] = [];
  for (let i = 1; i < lines.length; i += 1) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const [timeText = '', valueText = ''] = line.split(',');
    const timestamp = parseNabTimestamp(timeText);
    const value = Number(valueText);
    if (Number.isNaN(timestamp) || valueText.trim() === '' || !Number.isFinite(value)) {
      throw new Error(
        `${path}:${i + 1}: invalid row "${line}", expected "YYYY-MM-DD HH:MM:SS,<number>"`,
      );
    }
    timestamps.push(timestamp);
    values.push(value);
  }

  const category = key.includes('/') ? key.slice(0, key.indexOf('/')) : '.';
  return { key, category, timestamps, values };
}
