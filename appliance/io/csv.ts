/**
 * RFC 4180 CSV parser: fields separated by commas, records by LF or CRLF, fields in double
 * quotes may contain commas, line breaks and doubled quotes (`""`). The first record is the
 * header. Errors name the file, the 1-based line where the record starts, and the reason.
 */

export interface CsvTable {
  header: string[];
  rows: string[][];
}

export class CsvError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
  }
}

interface RawRecord {
  fields: string[];
  line: number;
}

/** Parses CSV text; throws `CsvError` on an unterminated quote or a wrong field count. */
export function parseCsv(text: string, file: string): CsvTable {
  const records = splitRecords(text.startsWith('\uFEFF') ? text.slice(1) : text, file);
  const [head, ...rest] = records;
  if (head === undefined) throw new CsvError(file, 1, 'the file is empty; expected a header row');

  const width = head.fields.length;
  for (const record of rest) {
    if (record.fields.length !== width) {
      throw new CsvError(
        file,
        record.line,
        `expected ${width} fields as in the header, got ${record.fields.length}`,
      );
    }
  }
  return { header: head.fields, rows: rest.map((record) => record.fields) };
}

function splitRecords(text: string, file: string): RawRecord[] {
  const records: RawRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;

  while (i < text.length) {
    const char = text[i]!;
    if (char === '"' && field === '') {
      const end = quotedEnd(text, i, file, line);
      field = text.slice(i + 1, end.index).replaceAll('""', '"');
      line += end.newlines;
      i = end.index + 1;
      const next = text[i];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
        throw new CsvError(file, line, `unexpected ${JSON.stringify(next)} after a closing quote`);
      }
      continue;
    }
    if (char === ',') {
      fields.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i += 1;
      fields.push(field);
      if (!(fields.length === 1 && fields[0] === '')) records.push({ fields, line: recordLine });
      fields = [];
      field = '';
      line += 1;
      recordLine = line;
    } else {
      field += char;
    }
    i += 1;
  }
  if (field !== '' || fields.length > 0) {
    fields.push(field);
    records.push({ fields, line: recordLine });
  }
  return records;
}

// Index of the closing quote of the field opened at `start`, and the line breaks inside it.
function quotedEnd(
  text: string,
  start: number,
  file: string,
  line: number,
): { index: number; newlines: number } {
  let newlines = 0;
  for (let i = start + 1; i < text.length; i += 1) {
    const char = text[i];
    if (char === '\n') newlines += 1;
    if (char !== '"') continue;
    if (text[i + 1] === '"') {
      i += 1;
      continue;
    }
    return { index: i, newlines };
  }
  throw new CsvError(file, line, 'unterminated quoted field; close it with a double quote');
}
