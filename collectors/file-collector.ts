import type { Rejection } from '../appliance/ingest/rejection.ts';
import { RateLimitedLog } from '../appliance/ingest/rate-limited-log.ts';
import { CsvError } from '../appliance/io/csv.ts';
import type { BackoffOptions } from './backoff.ts';
import { CheckpointFile } from './checkpoint.ts';
import { recordLag, submitOrThrow, type CollectorContext } from './collector.ts';
import { FileTail, type TailChunk, type TailLine, type TailPosition } from './file-tail.ts';
import { decodeLines } from './line-batch.ts';
import { parseCsvHeader } from './line-decoder.ts';
import type { Mapping } from './mapping.ts';
import { PollingCollector } from './polling-collector.ts';

export interface FileCollectorOptions {
  name: string;
  path: string;
  format: 'ndjson' | 'csv';
  mapping: Mapping;
  /** JSON file that stores the committed position; survives restarts. */
  checkpointPath: string;
  /** Delay between two reads once the file is drained, in milliseconds. */
  intervalMs: number;
  /** Lines per ingest batch; keep it below `ingest.max_batch_records`. */
  batchLines?: number;
  backoff?: BackoffOptions;
}

/** A line the collector could not use, with the file and line it came from. */
export interface LineRejection {
  file: string;
  line: number;
  code: string;
  field: string;
  reason: string;
}

const MAX_KEPT_REJECTIONS = 100;

/**
 * Tails a CSV or NDJSON file. The position after a batch's last line is checkpointed only after
 * the ingest commit, so a restart neither skips nor repeats lines. A crash between the commit
 * and the checkpoint repeats one batch, and event-id dedupe drops those events again.
 */
export class FileCollector extends PollingCollector {
  readonly kind = 'file';
  private readonly tail: FileTail;
  private readonly checkpoint: CheckpointFile<TailPosition>;
  private readonly rateLimited: RateLimitedLog;
  private readonly kept: LineRejection[] = [];

  constructor(
    private readonly options: FileCollectorOptions,
    private readonly context: CollectorContext,
  ) {
    super(options, context);
    this.rateLimited = new RateLimitedLog(this.logger);
    this.checkpoint = new CheckpointFile(options.checkpointPath);
    this.tail = new FileTail(options.path, this.checkpoint.load());
  }

  protected step(): Promise<void> {
    return this.drain();
  }

  protected override startDetails(): Record<string, unknown> {
    return { path: this.options.path, position: this.tail.current };
  }

  protected override stopDetails(): Record<string, unknown> {
    return { position: this.tail.current };
  }

  /** Lists the latest rejected lines, oldest first, at most 100. */
  rejections(): readonly LineRejection[] {
    return this.kept;
  }

  /** Reads and commits every complete line available now. */
  async drain(): Promise<void> {
    for (;;) {
      const chunk = this.tail.read();
      if (chunk.event !== undefined) {
        this.logger.warn({ path: this.options.path, file: chunk.file }, `file ${chunk.event}`);
      }
      if (chunk.lines.length === 0) {
        // Inode 0 means the file does not exist yet, so there is no position to keep.
        if (chunk.next.ino !== 0) this.commit(chunk.next);
        return;
      }
      await this.submitChunk(chunk);
    }
  }

  private async submitChunk(chunk: TailChunk): Promise<void> {
    const size = this.options.batchLines ?? 5_000;
    let header = chunk.next.header ?? this.tail.current?.header;
    if (chunk.event !== undefined) header = undefined;
    for (let start = 0; start < chunk.lines.length; start += size) {
      const lines = chunk.lines.slice(start, start + size);
      header = await this.submitBatch(chunk.file, lines, header);
      const last = lines[lines.length - 1]!;
      const next: TailPosition = { ...chunk.next, offset: last.end, line: last.line };
      if (header !== undefined) next.header = header;
      this.commit(next);
    }
  }

  private commit(next: TailPosition): void {
    const current = this.tail.current;
    const same =
      current !== undefined && current.ino === next.ino && current.offset === next.offset;
    this.tail.commit(next);
    if (!same) this.checkpoint.save(next);
  }

  /** Decodes, maps and submits one batch; returns the CSV header, which line 1 may set. */
  private async submitBatch(
    file: string,
    lines: readonly TailLine[],
    header: string[] | undefined,
  ): Promise<string[] | undefined> {
    let body = lines;
    if (this.options.format === 'csv' && header === undefined) {
      const first = lines.findIndex((line) => line.text.trim() !== '');
      if (first < 0) return header;
      header = this.readHeader(file, lines[first]!);
      body = lines.slice(first + 1);
      if (header === undefined) return header;
    }

    const batch = decodeLines(this.options.format, header, body, this.options.mapping);
    this.context.metrics.received.inc({ collector: this.name }, batch.rows.length);
    const result = await submitOrThrow(
      this.context.ingest,
      this.options.mapping.target,
      batch.rows,
      batch.rejected,
    );
    this.record(file, result.rejected, batch.lineOfRow);
    recordLag(this.context.metrics, this.name, batch.rows, (this.context.now ?? Date.now)());
    return header;
  }

  private readHeader(file: string, line: TailLine): string[] | undefined {
    try {
      return parseCsvHeader(line.text, file);
    } catch (error) {
      if (!(error instanceof CsvError)) throw error;
      this.keep({ file, line: line.line, code: 'invalid_row', field: '', reason: error.message });
      return undefined;
    }
  }

  private record(file: string, rejected: readonly Rejection[], lines: readonly number[]): void {
    let previous = -1;
    for (const rejection of rejected) {
      if (rejection.index === previous) continue;
      previous = rejection.index;
      const line = lines[rejection.index] ?? 0;
      this.context.metrics.rejected.inc({ collector: this.name, reason: rejection.code });
      this.keep({
        file,
        line,
        code: rejection.code,
        field: rejection.field,
        reason: rejection.reason,
      });
    }
  }

  private keep(rejection: LineRejection): void {
    this.kept.push(rejection);
    if (this.kept.length > MAX_KEPT_REJECTIONS) this.kept.shift();
    this.rateLimited.warn(`rejected:${rejection.code}`, { ...rejection }, 'line rejected');
  }
}
