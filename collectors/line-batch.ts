import type { Rejection } from '../appliance/ingest/rejection.ts';
import type { TailLine } from './file-tail.ts';
import { decodeCsv, decodeNdjson } from './line-decoder.ts';
import { applyMapping, type Mapping } from './mapping.ts';

/** Rows decoded from file lines, ready for `submitEvents` or `submitPoints`. */
export interface LineBatch {
  /** Mapped rows; null at the positions listed in `rejected`. */
  rows: unknown[];
  /** File line of each row. */
  lineOfRow: number[];
  /** Rows rejected before validation, indexed by their position in `rows`. */
  rejected: Rejection[];
}

/**
 * Decodes and maps lines. Blank lines and records a drop rule matches are left out. In CSV
 * the caller supplies the header, so the caller handles line 1.
 */
export function decodeLines(
  format: 'ndjson' | 'csv',
  header: readonly string[] | undefined,
  lines: readonly TailLine[],
  mapping: Mapping,
): LineBatch {
  const rows: unknown[] = [];
  const lineOfRow: number[] = [];
  const rejected: Rejection[] = [];
  for (const line of lines) {
    if (line.text.trim() === '') continue;

    const decoded = format === 'csv' ? decodeCsv(header ?? [], line.text) : decodeNdjson(line.text);
    const index = rows.length;
    if ('reason' in decoded) {
      rows.push(null);
      lineOfRow.push(line.line);
      const reason = decoded.reason;
      rejected.push({ index, field: '', value: '', code: 'invalid_row', reason, line: line.line });
      continue;
    }

    const mapped = applyMapping(mapping, decoded.record, index, rejected);
    if ('dropped' in mapped) continue;
    rows.push('row' in mapped ? mapped.row : null);
    lineOfRow.push(line.line);
  }
  return { rows, lineOfRow, rejected };
}
