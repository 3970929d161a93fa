import type { NabSeries } from './corpus.ts';
import type { DetectorFactory } from './detector.ts';
import { runDetector } from './detector.ts';
import { normaliseScore } from './normalise.ts';
import type { Profile } from './profiles.ts';
import type { FileScore, ScoredFile } from './score.ts';
import { optimiseThreshold, scoreFile } from './score.ts';
import type { ScoringRows } from './sweep.ts';

/** Group name of the scores summed over every file. */
export const OVERALL = 'overall';

/** Scores of one group of files (a category, or all) for one profile. */
export interface GroupScore {
  group: string;
  files: number;
  windows: number;
  raw: number;
  /** 0 for the null detector, 100 for a perfect one; NaN without windows. */
  normalised: number;
}

export interface ProfileResult {
  profile: string;
  threshold: number;
  /** `optimised` over all files scored, or `given` by a thresholds file. */
  thresholdSource: 'optimised' | 'given';
  groups: GroupScore[];
  files: FileScore[];
}

export interface DetectorResult {
  detector: string;
  /** Detector outputs outside [0, 1] or thrown, scored as 0. */
  invalidOutputs: number;
  profiles: ProfileResult[];
}

export interface BenchmarkOptions {
  profiles: readonly Profile[];
  /** Threshold per profile name; when absent, one is optimised per profile. */
  thresholds?: Readonly<Record<string, number>>;
  /** Rounds scores to this many significant digits, as NAB's result CSVs did (12). */
  scoreDigits?: number;
}

/** Runs one detector over every series and scores it under every profile. */
export function benchmarkDetector(
  detector: DetectorFactory,
  series: readonly { data: NabSeries; rows: ScoringRows }[],
  options: BenchmarkOptions,
): DetectorResult {
  let invalidOutputs = 0;
  const files: ScoredFile[] = series.map(({ data, rows }) => {
    const run = runDetector(detector, data.timestamps, data.values);
    invalidOutputs += run.invalid;
    if (options.scoreDigits !== undefined) roundScores(run.scores, options.scoreDigits);
    return { rows, scores: run.scores };
  });

  const profiles = options.profiles.map((profile) => scoreProfile(files, profile, options));
  return { detector: detector.name, invalidOutputs, profiles };
}

function scoreProfile(
  files: readonly ScoredFile[],
  profile: Profile,
  options: BenchmarkOptions,
): ProfileResult {
  const given = options.thresholds?.[profile.name];
  const threshold = given ?? optimiseThreshold(files, profile.cost).threshold;
  const scores = files.map((file) => scoreFile(file, threshold, profile.cost));

  const categories = [...new Set(files.map((file) => file.rows.category))].sort();
  const groups = categories.map((category) =>
    groupScore(
      category,
      files.filter((file) => file.rows.category === category),
      scores,
      profile,
    ),
  );
  groups.push(groupScore(OVERALL, files, scores, profile));

  const thresholdSource = given === undefined ? 'optimised' : 'given';
  return { profile: profile.name, threshold, thresholdSource, groups, files: scores };
}

function groupScore(
  group: string,
  files: readonly ScoredFile[],
  scores: readonly FileScore[],
  profile: Profile,
): GroupScore {
  const keys = new Set(files.map((file) => file.rows.key));
  const raw = scores.filter((score) => keys.has(score.key)).reduce((sum, s) => sum + s.raw, 0);
  const windows = files.reduce((sum, file) => sum + file.rows.windowCount, 0);
  const scored = files.reduce((sum, file) => sum + file.rows.scoredWindows.length, 0);
  const normalised = normaliseScore(raw, windows, scored, profile.cost);
  return { group, files: files.length, windows, raw, normalised };
}

function roundScores(scores: Float64Array, digits: number): void {
  for (let i = 0; i < scores.length; i += 1) scores[i] = Number(scores[i]!.toPrecision(digits));
}
