import { readFileSync } from 'node:fs';

import { SingleBar, Presets } from 'cli-progress';

import type { Logger } from '../appliance/log/logger.ts';
import {
  eventTime,
  submitOrThrow,
  type Collector,
  type CollectorContext,
  type CollectorHealth,
} from './collector.ts';
import type { TailLine } from './file-tail.ts';
import { decodeLines } from './line-batch.ts';
import { parseCsvHeader } from './line-decoder.ts';
import type { Mapping } from './mapping.ts';

export interface FileReplayOptions {
  name: string;
  path: string;
  format: 'ndjson' | 'csv';
  mapping: Mapping;
  /** Event-time seconds replayed per wall-clock second; 0 replays as fast as ingest takes it. */
  speed: number;
  /** Largest batch; a batch also ends where its event time spans 100 ms of wall time. */
  batchRows?: number;
  /** Draws a progress bar on stderr. */
  progress?: boolean;
  /** Waits `ms` milliseconds; tests pass one that records the waits. */
  sleep?: (ms: number) => Promise<void>;
}

export interface ReplaySummary {
  rows: number;
  stored: number;
  rejected: number;
}

const BATCH_WALL_MS = 100;

/**
 * Replays a whole file once in event-time order: rows are sorted by `timestamp` and submitted
 * so that event time advances `speed` times faster than the wall clock. Rows without a readable
 * timestamp are submitted first and rejected by ingest validation.
 */
export class FileReplay implements Collector {
  readonly kind = 'replay';
  readonly name: string;
  /** Resolves with the counts once the replay finished or was stopped. */
  done: Promise<ReplaySummary> = Promise.resolve({ rows: 0, stored: 0, rejected: 0 });
  private stopped = false;
  private readonly logger: Logger;
  private readonly state: CollectorHealth = {
    state: 'idle',
    lastSuccessMs: null,
    lastError: null,
    consecutiveFailures: 0,
  };

  constructor(
    private readonly options: FileReplayOptions,
    private readonly context: CollectorContext,
  ) {
    this.name = options.name;
    this.logger = context.logger.child({ collector: options.name });
  }

  async start(): Promise<void> {
    this.state.state = 'running';
    this.logger.info({ path: this.options.path, speed: this.options.speed }, 'replay started');
    this.done = this.run().catch((error: unknown) => {
      this.state.lastError = error instanceof Error ? error.message : String(error);
      this.state.state = 'stopped';
      this.logger.error({ err: error }, 'replay failed');
      return { rows: 0, stored: 0, rejected: 0 };
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
    this.state.state = 'stopped';
  }

  health(): CollectorHealth {
    return { ...this.state };
  }

  private async run(): Promise<ReplaySummary> {
    const rows = this.readRows();
    const bar = new SingleBar(
      { stream: process.stderr, format: `${this.name} [{bar}] {value}/{total}` },
      Presets.shades_classic,
    );
    if (this.options.progress === true) bar.start(rows.length, 0);

    const summary: ReplaySummary = { rows: rows.length, stored: 0, rejected: 0 };
    const sleep =
      this.options.sleep ??
      ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    const firstTime = rows.find((row) => Number.isFinite(row.time))?.time ?? 0;
    const now = this.context.now ?? Date.now;
    const started = now();
    let start = 0;
    while (start < rows.length && !this.stopped) {
      const end = this.batchEnd(rows, start);
      const batch = rows.slice(start, end);
      const wait = this.waitMs(batch[0]!.time - firstTime, now() - started);
      if (wait > 0) await sleep(wait);

      const result = await submitOrThrow(
        this.context.ingest,
        this.options.mapping.target,
        batch.map((row) => row.row),
      );
      summary.stored += result.stored;
      summary.rejected += new Set(result.rejected.map((rejection) => rejection.index)).size;
      this.context.metrics.received.inc({ collector: this.name }, batch.length);
      this.state.lastSuccessMs = now();
      start = end;
      if (this.options.progress === true) bar.update(start);
    }

    if (this.options.progress === true) bar.stop();
    this.state.state = 'stopped';
    this.logger.info({ ...summary }, 'replay finished');
    return summary;
  }

  /** Returns the wall-clock wait until `eventOffsetMs` of event time is due. */
  private waitMs(eventOffsetMs: number, elapsedMs: number): number {
    if (this.options.speed <= 0 || !Number.isFinite(eventOffsetMs)) return 0;
    return Math.max(0, eventOffsetMs / this.options.speed - elapsedMs);
  }

  private batchEnd(rows: readonly TimedRow[], start: number): number {
    const maxRows = this.options.batchRows ?? 5_000;
    const spanMs = this.options.speed <= 0 ? Infinity : BATCH_WALL_MS * this.options.speed;
    const first = rows[start]!.time;
    let end = start + 1;
    while (end < rows.length && end - start < maxRows && !(rows[end]!.time - first > spanMs))
      end += 1;
    return end;
  }

  private readRows(): TimedRow[] {
    const texts = readFileSync(this.options.path, 'utf8').split('\n');
    let lines: TailLine[] = texts.map((text, index) => ({
      text: text.replace(/\r$/, ''),
      line: index + 1,
      end: 0,
    }));
    let header: string[] | undefined;
    if (this.options.format === 'csv') {
      header = parseCsvHeader(lines[0]?.text ?? '', this.options.path);
      lines = lines.slice(1);
    }

    const batch = decodeLines(this.options.format, header, lines, this.options.mapping);
    for (const rejection of batch.rejected) {
      const line = batch.lineOfRow[rejection.index];
      this.logger.warn(
        { file: this.options.path, line, code: rejection.code, reason: rejection.reason },
        'line rejected',
      );
      this.context.metrics.rejected.inc({ collector: this.name, reason: rejection.code });
    }
    const rows = batch.rows
      .filter((row) => row !== null)
      .map((row) => ({ row, time: eventTime(row) }));
    return rows.sort(
      (a, b) =>
        (Number.isFinite(a.time) ? a.time : -Infinity) -
        (Number.isFinite(b.time) ? b.time : -Infinity),
    );
  }
}

interface TimedRow {
  row: unknown;
  /** Event time in epoch milliseconds; NaN when the row has no readable timestamp. */
  time: number;
}
