import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { readProfiles } from '../../../bench/nab/profiles.ts';
import { scoreFile } from '../../../bench/nab/score.ts';
import { prepareRows } from '../../../bench/nab/sweep.ts';
import { readWindows } from '../../../bench/nab/windows.ts';
import { CATEGORIES, readPublishedTotals, readResultFiles } from './nab-results.ts';

const NAB = new URL('../../../datasets/nab/', import.meta.url);
const windows = readWindows(new URL('labels/combined_windows.json', NAB).pathname);
const profiles = readProfiles(new URL('config/profiles.json', NAB).pathname);
const thresholds = JSON.parse(
  readFileSync(new URL('config/thresholds.json', NAB), 'utf8'),
) as Record<string, Record<string, { threshold: number }>>;

for (const profile of profiles) {
  const published = readPublishedTotals(profile.name);
  const threshold = thresholds.windowedGaussian![profile.name]!.threshold;

  for (const category of CATEGORIES) {
    void test(`${profile.name} totals match NAB on ${category}`, () => {
      const files = readResultFiles(category);
      assert.ok(files.length >= 7, `expected the whole category, got ${files.length} files`);

      for (const file of files) {
        const rows = prepareRows(file.key, category, file.timestamps, windows.get(file.key)!);
        const ours = scoreFile({ rows, scores: file.scores }, threshold, profile.cost);
        const theirs = published.get(file.key)!;

        assert.equal(theirs.threshold, threshold, `${file.key}: threshold`);
        // NAB's published totals come from its earlier scorer, which charged a false positive
        // exactly 3 window widths after a window 2σ(−15) − 1 instead of −1: at most 1.4e-7 here.
        assert.ok(
          Math.abs(ours.raw - theirs.score) < 5e-5,
          `${file.key}: score ${ours.raw} vs NAB ${theirs.score}`,
        );
        assert.equal(ours.tp, theirs.tp, `${file.key}: TP`);
        assert.equal(ours.tn, theirs.tn, `${file.key}: TN`);
        assert.equal(ours.fp, theirs.fp, `${file.key}: FP`);
        assert.equal(ours.fn, theirs.fn, `${file.key}: FN`);
        assert.equal(ours.total, theirs.total, `${file.key}: total rows`);
      }
    });
  }
}
