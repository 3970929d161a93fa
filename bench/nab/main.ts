/**
 * Scores streaming detectors on the Numenta Anomaly Benchmark (NAB) and prints, per category and
 * overall, the normalised score for each profile next to the published figures.
 *
 *   node --import tsx bench/nab/main.ts [--data DIR] [--windows FILE] [--detectors a,b]
 *     [--profiles FILE] [--thresholds FILE] [--score-digits N] [--json]
 */
import { relative } from 'node:path';
import { parseArgs } from 'node:util';

import type { DetectorResult } from './benchmark.ts';
import { benchmarkDetector } from './benchmark.ts';
import { listCsvFiles, readSeries } from './corpus.ts';
import { BUILT_IN_DETECTORS, resolveDetector } from './detectors.ts';
import { readProfiles } from './profiles.ts';
import { reportJson, reportText } from './report.ts';
import { prepareRows } from './sweep.ts';
import { readThresholds } from './thresholds.ts';
import { readWindows } from './windows.ts';

const HELP = `Usage: node --import tsx bench/nab/main.ts [options]

  --data DIR          folder of NAB data CSVs in category folders (default datasets/nab/data)
  --windows FILE      NAB combined_windows.json (default datasets/nab/labels/combined_windows.json)
  --profiles FILE     NAB profiles.json (default datasets/nab/config/profiles.json)
  --detectors a,b     built-in names (${BUILT_IN_DETECTORS.map((d) => d.name).join(', ')}) or
                      module paths exporting { name, create() }; default: all built-ins
  --thresholds FILE   score with these thresholds (NAB thresholds.json format) instead of
                      optimising one per detector and profile over all files scored
  --score-digits N    round scores to N significant digits first; NAB's result files have 12
  --json              print the report as JSON
  --help              print this help`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: 'datasets/nab/data' },
      windows: { type: 'string', default: 'datasets/nab/labels/combined_windows.json' },
      profiles: { type: 'string', default: 'datasets/nab/config/profiles.json' },
      detectors: { type: 'string' },
      thresholds: { type: 'string' },
      'score-digits': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }

  const scoreDigits = parseDigits(values['score-digits']);
  const profiles = readProfiles(values.profiles);
  const series = loadSeries(values.data, values.windows);
  const specs = values.detectors?.split(',').filter((spec) => spec !== '');
  const detectors = await Promise.all(
    (specs ?? BUILT_IN_DETECTORS.map((d) => d.name)).map((spec) => resolveDetector(spec)),
  );

  const results: DetectorResult[] = [];
  for (const detector of detectors) {
    const thresholds =
      values.thresholds === undefined
        ? undefined
        : readThresholds(
            values.thresholds,
            detector.name,
            profiles.map((p) => p.name),
          );
    results.push(benchmarkDetector(detector, series, { profiles, thresholds, scoreDigits }));
  }

  if (values.json) {
    console.log(JSON.stringify(reportJson(results), null, 2));
    return;
  }
  const categories = new Set(series.map(({ data }) => data.category)).size;
  console.log(`NAB: ${series.length} files in ${categories} categories under ${values.data}\n`);
  console.log(results.map((result) => reportText(result)).join('\n\n'));
}

/** Reads every CSV under `dataDir` that the windows file labels; warns about the others. */
function loadSeries(dataDir: string, windowsPath: string) {
  const windows = readWindows(windowsPath);
  const keys = listCsvFiles(dataDir);
  const unlabelled = keys.filter((key) => !windows.has(key));
  if (unlabelled.length > 0) {
    console.error(`skipping ${unlabelled.length} files without windows in ${windowsPath}`);
  }

  const labelled = keys.filter((key) => windows.has(key));
  if (labelled.length === 0) {
    throw new Error(
      `no CSV under ${relative('.', dataDir) || '.'} has windows in ${windowsPath}; ` +
        'point --data at the folder that contains the category folders',
    );
  }
  return labelled.map((key) => {
    const data = readSeries(dataDir, key);
    const rows = prepareRows(key, data.category, data.timestamps, windows.get(key)!);
    return { data, rows };
  });
}

function parseDigits(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const digits = Number(text);
  if (!Number.isInteger(digits) || digits < 1 || digits > 17) {
    throw new Error(`--score-digits: invalid value "${text}", expected an integer from 1 to 17`);
  }
  return digits;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
