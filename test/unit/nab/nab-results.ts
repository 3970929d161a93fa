import { readFileSync, readdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

import { parseNabTimestamp } from '../../../bench/nab/timestamps.ts';

/** NAB's Windowed Gaussian result files, trimmed to `timestamp,anomaly_score` and gzipped. */
export const RESULTS_DIR = new URL('../../fixtures/nab/windowedGaussian/', import.meta.url);

export const CATEGORIES = ['realTweets', 'realKnownCause'];

export interface ResultFile {
  key: string;
  category: string;
  timestamps: number[];
  scores: number[];
}

/** One row of a `windowedGaussian_<profile>_scores.csv` totals file. */
export interface PublishedTotal {
  key: string;
  threshold: number;
  score: number;
  tp: number;
  tn: number;
  fp: number;
  fn: number;
  total: number;
}

/** Reads the fixture result files of `category`, keyed as in `combined_windows.json`. */
export function readResultFiles(category: string): ResultFile[] {
  const folder = new URL(`${category}/`, RESULTS_DIR);
  return readdirSync(folder)
    .filter((name) => name.endsWith('.csv.gz'))
    .sort()
    .map((name) => {
      const lines = gunzipSync(readFileSync(new URL(name, folder)))
        .toString('utf8')
        .trim();
      const rows = lines.split('\n').slice(1);
      const file = name.replace(/^windowedGaussian_/, '').replace(/\.gz$/, '');
      return {
        key: `${category}/${file}`,
        category,
        timestamps: rows.map((row) => parseNabTimestamp(row.split(',')[0]!)),
        scores: rows.map((row) => Number(row.split(',')[1])),
      };
    });
}

/** Reads NAB's per-file totals for one profile, keyed by file. */
export function readPublishedTotals(profile: string): Map<string, PublishedTotal> {
  const text = readFileSync(new URL(`windowedGaussian_${profile}_scores.csv`, RESULTS_DIR), 'utf8');
  const totals = new Map<string, PublishedTotal>();
  for (const line of text.trim().split('\n').slice(1)) {
    const [, , key, threshold, score, tp, tn, fp, fn, total] = line.split(',');
    if (key === undefined || key === '') continue;
    totals.set(key, {
      key,
      threshold: Number(threshold),
      score: Number(score),
      tp: Number(tp),
      tn: Number(tn),
      fp: Number(fp),
      fn: Number(fn),
      total: Number(total),
    });
  }
  return totals;
}
