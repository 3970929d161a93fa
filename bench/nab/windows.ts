import { readFileSync } from 'node:fs';

import { parseNabTimestamp } from './timestamps.ts';

/** Share of a file's rows that NAB treats as the detector's probationary (learning) period. */
export const PROBATION_SHARE = 0.15;

/** Cap on the probationary period in rows: 0.15 × 5000, as NAB's sweeper computes it. */
export const PROBATION_MAX_ROWS = PROBATION_SHARE * 5000;

/** Anomaly window limits from `combined_windows.json`, epoch ms, both ends inclusive. */
export interface WindowLimits {
  start: number;
  end: number;
}

/**
 * A window located in a file's rows, as NAB's sweeper walks it. The sweeper enters the window at
 * the first row whose timestamp equals `start` and leaves it at the first later row whose
 * timestamp equals `end`. It measures positions from `rightRow`, the first row anywhere in the
 * file with the end timestamp (Python's `list.index`). That row is `exitRow` unless the end
 * timestamp also occurs earlier.
 */
export interface RowWindow {
  startRow: number;
  exitRow: number;
  rightRow: number;
  /** Rows from `startRow` to `rightRow`, both included. */
  width: number;
}

/** Returns the number of leading rows whose detections NAB ignores: min(⌊0.15 × rows⌋, 750). */
export function probationaryLength(rowCount: number): number {
  return Math.min(Math.floor(PROBATION_SHARE * rowCount), PROBATION_MAX_ROWS);
}

/** Reads `combined_windows.json`: file key to its windows, sorted by start. */
export function readWindows(path: string): Map<string, WindowLimits[]> {
  const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${path}: invalid windows file, expected an object of file key to windows`);
  }

  const windows = new Map<string, WindowLimits[]>();
  for (const [key, list] of Object.entries(parsed)) {
    if (!Array.isArray(list)) {
      throw new Error(`${path}: ${key}: invalid windows ${JSON.stringify(list)}, expected a list`);
    }
    const limits = list.map((pair: unknown) => parseLimits(path, key, pair));
    windows.set(
      key,
      limits.sort((a, b) => a.start - b.start),
    );
  }
  return windows;
}

function parseLimits(path: string, key: string, pair: unknown): WindowLimits {
  const fix = 'expected ["YYYY-MM-DD HH:MM:SS.ffffff", "YYYY-MM-DD HH:MM:SS.ffffff"]';
  if (!Array.isArray(pair) || pair.length !== 2) {
    throw new Error(`${path}: ${key}: invalid window ${JSON.stringify(pair)}, ${fix}`);
  }

  const start = parseNabTimestamp(String(pair[0]));
  const end = parseNabTimestamp(String(pair[1]));
  if (Number.isNaN(start) || Number.isNaN(end) || end < start) {
    throw new Error(`${path}: ${key}: invalid window ${JSON.stringify(pair)}, ${fix}`);
  }
  return { start, end };
}

/**
 * Locates each window in the rows of one file. NAB's labeller puts window limits on data
 * timestamps, so a limit that matches no row means the windows file belongs to other data: this
 * throws, naming the file and the limit.
 */
export function locateWindows(
  key: string,
  timestamps: readonly number[],
  limits: readonly WindowLimits[],
): RowWindow[] {
  const located: RowWindow[] = [];
  let cursor = 0;

  for (const { start, end } of limits) {
    const startRow = indexFrom(timestamps, start, cursor);
    const exitRow = startRow < 0 ? -1 : indexFrom(timestamps, end, startRow);
    if (startRow < 0 || exitRow < 0) {
      const missing = new Date(startRow < 0 ? start : end).toISOString();
      throw new Error(
        `${key}: window limit ${missing} matches no row after row ${cursor}; ` +
          'check that the windows file belongs to this data',
      );
    }

    const rightRow = timestamps.indexOf(end);
    located.push({ startRow, exitRow, rightRow, width: rightRow - startRow + 1 });
    cursor = exitRow + 1;
  }
  return located;
}

function indexFrom(timestamps: readonly number[], timestamp: number, from: number): number {
  for (let i = from; i < timestamps.length; i += 1) {
    if (timestamps[i] === timestamp) return i;
  }
  return -1;
}
