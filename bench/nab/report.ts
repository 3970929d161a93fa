import type { DetectorResult } from './benchmark.ts';
import { OVERALL } from './benchmark.ts';
import { PUBLISHED_BY_CATEGORY, PUBLISHED_CORPUS_58_FILES } from './published.ts';

const CORPUS_NOTE =
  'NAB publishes overall figures for its 58-file corpus; they are not comparable one to one ' +
  'with an overall score over other files.';

/** Returns the report as one JSON-serialisable object: the same content as the text table. */
export function reportJson(results: readonly DetectorResult[]) {
  return {
    detectors: results.map((result) => ({
      detector: result.detector,
      invalidOutputs: result.invalidOutputs,
      profiles: result.profiles.map((profile) => ({
        ...profile,
        groups: profile.groups.map((group) => ({
          ...group,
          normalised: Number.isNaN(group.normalised) ? null : group.normalised,
        })),
      })),
    })),
    published: {
      byCategory: PUBLISHED_BY_CATEGORY,
      corpus58Files: PUBLISHED_CORPUS_58_FILES,
      note: CORPUS_NOTE,
    },
  };
}

/** Formats one detector's scores as a table: a row per category and overall, a column per profile. */
export function reportText(result: DetectorResult): string {
  const profiles = result.profiles.map((profile) => profile.profile);
  const source = result.profiles.every((p) => p.thresholdSource === 'given')
    ? 'given'
    : 'optimised over all files scored';
  const lines = [`Detector ${result.detector} (thresholds ${source})`];

  for (const profile of result.profiles) {
    lines.push(`  threshold ${profile.profile.padEnd(20)} ${profile.threshold}`);
  }
  if (result.invalidOutputs > 0) {
    lines.push(`  ${result.invalidOutputs} outputs outside [0, 1] were scored as 0`);
  }

  const header = ['group'.padEnd(18), 'files'.padStart(5), 'windows'.padStart(7)]
    .concat(profiles.map((name) => name.padStart(18)))
    .concat(['  published Windowed Gaussian', '  best published (standard)']);
  lines.push(`  ${header.join(' ')}`);

  const groups = result.profiles[0]?.groups.map((group) => group.group) ?? [];
  for (const group of groups) lines.push(`  ${groupRow(result, group, profiles).join(' ')}`);

  lines.push(`  ${corpusLine(profiles)}`, `  ${CORPUS_NOTE}`);
  return lines.join('\n');
}

function groupRow(result: DetectorResult, group: string, profiles: readonly string[]): string[] {
  const first = result.profiles[0]!.groups.find((g) => g.group === group)!;
  const cells = [
    group.padEnd(18),
    String(first.files).padStart(5),
    String(first.windows).padStart(7),
  ];

  for (const profile of result.profiles) {
    const score = profile.groups.find((g) => g.group === group)!.normalised;
    cells.push(formatScore(score).padStart(18));
  }

  const published = PUBLISHED_BY_CATEGORY[group];
  if (published === undefined) return cells.concat(group === OVERALL ? ['  see below'] : ['  -']);
  const gaussian = profiles
    .map((name) => formatScore(published.windowedGaussian[name]))
    .join(' / ');
  return cells.concat([
    `  ${gaussian}`.padEnd(29),
    `  ${published.best.standard} (${published.best.detector})`,
  ]);
}

function corpusLine(profiles: readonly string[]): string {
  const parts = Object.entries(PUBLISHED_CORPUS_58_FILES).map(
    ([detector, scores]) =>
      `${detector} ${profiles.map((name) => formatScore(scores[name])).join(' / ')}`,
  );
  return `NAB 58-file corpus (${profiles.join(' / ')}): ${parts.join('; ')}`;
}

function formatScore(score: number | undefined): string {
  if (score === undefined || Number.isNaN(score)) return '-';
  return score.toFixed(2);
}
