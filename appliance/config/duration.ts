/**
 * Durations in Prometheus' syntax: units from largest to smallest, each at most once, such as
 * `1d2h30m15s500ms`, `5m` or `400d`. `y` is 365 days and `w` 7 days, as in Prometheus; `0`
 * alone is zero.
 */

const unitMs: ReadonlyArray<readonly [string, number]> = [
  ['y', 365 * 24 * 3_600_000],
  ['w', 7 * 24 * 3_600_000],
  ['d', 24 * 3_600_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
  ['ms', 1],
];

// One optional group per unit in order; `m(?!s)` keeps `500ms` from being read as minutes.
const durationPattern =
  /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** Example text for messages about a bad duration. */
export const durationExample = 'a duration such as 5m or 1h30m';

/** Parses a duration into milliseconds; returns undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  if (text === '0') {
    return 0;
  }

  const match = durationPattern.exec(text);
  if (text === '' || match === null) {
    return undefined;
  }

  let total = 0;
  unitMs.forEach(([, ms], index) => {
    const amount = match[index + 1];
    if (amount !== undefined) {
      total += Number(amount) * ms;
    }
  });
  return Number.isSafeInteger(total) ? total : undefined;
}

/** Formats milliseconds in the same syntax, largest units first; the inverse of parseDuration. */
export function formatDuration(ms: number): string {
  if (ms === 0) {
    return '0s';
  }

  let rest = ms;
  let text = '';
  for (const [unit, size] of unitMs) {
    const amount = Math.floor(rest / size);
    if (amount > 0) {
      text += `${amount}${unit}`;
      rest -= amount * size;
    }
  }
  return text;
}
