import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import type { DetectorFactory } from './detector.ts';
import { nullDetector } from './null-detector.ts';
import { VIGIL_DETECTORS } from './vigil-detectors.ts';
import { windowedGaussian } from './windowed-gaussian.ts';

/** Detectors that `--detectors` accepts by name; the benchmark scores all of them by default. */
export const BUILT_IN_DETECTORS: readonly DetectorFactory[] = [
  nullDetector,
  windowedGaussian,
  ...VIGIL_DETECTORS,
];

/**
 * Resolves one `--detectors` entry: a built-in name, or the path of a module (`.ts` or `.js`)
 * whose default export, or export named `detector`, is a `DetectorFactory`.
 */
export async function resolveDetector(spec: string): Promise<DetectorFactory> {
  const builtIn = BUILT_IN_DETECTORS.find((detector) => detector.name === spec);
  if (builtIn !== undefined) return builtIn;

  if (!/\.(ts|js|mjs)$/.test(spec)) {
    const names = BUILT_IN_DETECTORS.map((detector) => detector.name).join(', ');
    throw new Error(
      `unknown detector "${spec}": expected one of ${names} or a path to a .ts or .js module`,
    );
  }

  const module = (await import(pathToFileURL(resolve(spec)).href)) as Record<string, unknown>;
  const candidate = module.default ?? module.detector;
  if (!isDetectorFactory(candidate)) {
    throw new Error(
      `${spec}: missing detector export, expected a default export or \`detector\` ` +
        'of the form { name: string, create(): { score(timestamp, value): number } }',
    );
  }
  return candidate;
}

function isDetectorFactory(value: unknown): value is DetectorFactory {
  if (typeof value !== 'object' || value === null) return false;
  const { name, create } = value as Record<string, unknown>;
  return typeof name === 'string' && name !== '' && typeof create === 'function';
}
