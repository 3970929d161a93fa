/**
 * NAB writes timestamps as `YYYY-MM-DD HH:MM:SS` in data files and with a `.ffffff` fraction in
 * `combined_windows.json`, both without a zone. Both parse here to epoch milliseconds read as UTC,
 * so a window limit and the data row it names compare equal.
 */
const NAB_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;

/** Parses a NAB timestamp to epoch ms (UTC), or returns NaN when the text is not one. */
export function parseNabTimestamp(text: string): number {
  const match = NAB_TIMESTAMP.exec(text.trim());
  if (match === null) return NaN;

  const [, year, month, day, hour, minute, second, fraction] = match;
  const milliseconds =
    fraction === undefined ? 0 : Math.floor(Number(fraction.padEnd(6, '0')) / 1000);
  return Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
    milliseconds,
  );
}
