import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { benchmarkDetector } from '../../../bench/nab/benchmark.ts';
import { readSeries } from '../../../bench/nab/corpus.ts';
import { runDetector } from '../../../bench/nab/detector.ts';
import { readProfiles } from '../../../bench/nab/profiles.ts';
import { prepareRows } from '../../../bench/nab/sweep.ts';
import { windowedGaussian } from '../../../bench/nab/windowed-gaussian.ts';
import { readWindows } from '../../../bench/nab/windows.ts';
import { CATEGORIES, readPublishedTotals, readResultFiles } from './nab-results.ts';

const NAB = new URL('../../../datasets/nab/', import.meta.url);
const DATA = new URL('data/', NAB).pathname;
const windows = readWindows(new URL('labels/combined_windows.json', NAB).pathname);
const profiles = readProfiles(new URL('config/profiles.json', NAB).pathname);
const thresholds = JSON.parse(readFileSync(new URL('config/thresholds.json', NAB), 'utf8')) as {
  windowedGaussian: Record<string, { threshold: number }>;
};

for (const category of CATEGORIES) {
  void test(`windowed gaussian scores match NAB on ${category}`, () => {
    for (const file of readResultFiles(category)) {
      const series = readSeries(DATA, file.key);
      assert.deepEqual(series.timestamps, file.timestamps, `${file.key}: timestamps`);

      const run = runDetector(windowedGaussian, series.timestamps, series.values);
      let maxError = 0;
      for (let i = 0; i < file.scores.length; i += 1) {
        maxError = Math.max(maxError, Math.abs(run.scores[i]! - file.scores[i]!));
      }
      // NAB's result files print 12 significant digits, so 5e-13 is the rounding of the file.
      assert.ok(maxError < 1e-12, `${file.key}: max score error ${maxError}`);
      assert.equal(run.invalid, 0, `${file.key}: invalid outputs`);
    }
  });

  void test(`windowed gaussian totals match NAB on ${category}`, () => {
    const series = readResultFiles(category).map(({ key }) => {
      const data = readSeries(DATA, key);
      return { data, rows: prepareRows(key, category, data.timestamps, windows.get(key)!) };
    });
    const given = Object.fromEntries(
      profiles.map((p) => [p.name, thresholds.windowedGaussian[p.name]!.threshold]),
    );
    const result = benchmarkDetector(windowedGaussian, series, {
      profiles,
      thresholds: given,
      scoreDigits: 12,
    });

    for (const profile of result.profiles) {
      const published = readPublishedTotals(profile.profile);
      for (const score of profile.files) {
        const expected = published.get(score.key)!.score;
        assert.ok(
          Math.abs(score.raw - expected) < 5e-5,
          `${profile.profile} ${score.key}: ${score.raw} vs NAB ${expected}`,
        );
      }
    }
  });
}
