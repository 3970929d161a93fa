import { CsvError, parseCsv } from '../appliance/io/csv.ts';

/** A decoded line: the record, or the reason it could not be read. */
export type Decoded = { record: unknown } | { reason: string };

/**
 * Decodes one NDJSON line. The reason names the JSON error, so the writer of the file can
 * find the broken character.
 */
export function decodeNdjson(line: string): Decoded {
  try {
    return { record: JSON.parse(line) as unknown };
  } catch (error) {
    return {
      reason: `line is not valid JSON (${(error as Error).message}); write one JSON object per line`,
    };
  }
}

/**
 * Decodes one CSV record against the header into an object of strings. Each physical line
 * is one record here, so a quoted field that spans lines is rejected as an unclosed quote.
 */
export function decodeCsv(header: readonly string[], line: string): Decoded {
  let fields: string[];
  try {
    const table = parseCsv(`${header.map(quote).join(',')}\n${line}\n`, 'line');
    const row = table.rows[0];
    if (row === undefined) return { reason: 'empty CSV record' };
    fields = row;
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    return { reason: `invalid CSV record: ${error.message.replace(/^line:\d+: /, '')}` };
  }

  const record: Record<string, string> = {};
  header.forEach((name, index) => {
    record[name] = fields[index]!;
  });
  return { record };
}

/** Splits a CSV header line; throws `CsvError` when it is invalid. */
export function parseCsvHeader(line: string, file: string): string[] {
  return parseCsv(`${line}\n`, file).header;
}

function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
