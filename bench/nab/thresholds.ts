import { readFileSync } from 'node:fs';

/**
 * Reads the thresholds of one detector from a file in the format of NAB's `thresholds.json`:
 * `{ "<detector>": { "<profile>": { "threshold": number, "score": number } } }`. Throws naming the
 * missing detector or profile.
 */
export function readThresholds(
  path: string,
  detector: string,
  profiles: readonly string[],
): Record<string, number> {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const entry = parsed[detector] as Record<string, { threshold?: unknown }> | undefined;
  if (typeof entry !== 'object' || entry === null) {
    throw new Error(`${path}: missing detector "${detector}"; add its thresholds or omit it`);
  }

  const thresholds: Record<string, number> = {};
  for (const profile of profiles) {
    const threshold = entry[profile]?.threshold;
    if (typeof threshold !== 'number' || !Number.isFinite(threshold)) {
      throw new Error(
        `${path}: ${detector}.${profile}.threshold: invalid value ${JSON.stringify(threshold)}, ` +
          'expected a number',
      );
    }
    thresholds[profile] = threshold;
  }
  return thresholds;
}
