import { closeSync, openSync, readSync, readdirSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Position of a tail: the file by inode, the byte offset and the lines consumed before it. */
export interface TailPosition {
  /** Inode and device of the file being read; a different inode at the path means rotation. */
  ino: number;
  dev: number;
  offset: number;
  /** Lines (1-based numbering) consumed before `offset`. */
  line: number;
  /** CSV header of this file, once its first line was read. */
  header?: string[];
}

export interface TailLine {
  text: string;
  /** 1-based line number within its file. */
  line: number;
  /** Byte offset just after this line's newline. */
  end: number;
}

export interface TailChunk {
  /** Name of the file the lines come from (the rotated name while it drains). */
  file: string;
  lines: TailLine[];
  /** Position after these lines; pass it to `commit` once they are durably stored. */
  next: TailPosition;
  /** `rotated` or `truncated` when this read switched files or started over. */
  event?: 'rotated' | 'truncated';
}

/**
 * Reads complete lines of a file that is appended to, rotated (renamed and recreated) or
 * truncated in place. Nothing advances until `commit`, so a failed write re-reads the same
 * lines. After a rotation the old file is found in the same directory by its inode and drained
 * to its end before the new file starts, also when the rotation happened while Vigil was stopped.
 * NOTE: a rotated file that is deleted or moved to another directory before it was drained
 * loses its unread lines. A truncation loses lines written between the last read and it.
 */
export class FileTail {
  private position: TailPosition | undefined;

  constructor(
    readonly path: string,
    position?: TailPosition,
    private readonly maxBytes = 1024 * 1024,
  ) {
    this.position = position;
  }

  get current(): TailPosition | undefined {
    return this.position;
  }

  commit(next: TailPosition): void {
    this.position = next;
  }

  /** Returns the complete lines available after the committed position; none when the file is missing. */
  read(): TailChunk {
    const stats = statOrNull(this.path);
    if (stats === null) {
      return { file: this.path, lines: [], next: this.position ?? fresh({ ino: 0, dev: 0 }) };
    }
    const position = this.position ?? fresh(stats);
    if (position.ino !== stats.ino || position.dev !== stats.dev) {
      return this.readRotated(position, stats);
    }
    if (stats.size < position.offset) {
      return {
        ...readLines(this.path, fresh(stats), stats.size, this.maxBytes),
        event: 'truncated',
      };
    }
    return readLines(this.path, position, stats.size, this.maxBytes);
  }

  private readRotated(position: TailPosition, stats: Stats): TailChunk {
    const old = findByInode(dirname(this.path), position, basename(this.path));
    if (old !== null && old.stats.size > position.offset) {
      return readLines(old.path, position, old.stats.size, this.maxBytes);
    }
    return { ...readLines(this.path, fresh(stats), stats.size, this.maxBytes), event: 'rotated' };
  }
}

function fresh(stats: { ino: number; dev: number }): TailPosition {
  return { ino: stats.ino, dev: stats.dev, offset: 0, line: 0 };
}

function readLines(file: string, from: TailPosition, size: number, maxBytes: number): TailChunk {
  const length = Math.min(size - from.offset, maxBytes);
  if (length <= 0) return { file, lines: [], next: from };

  const buffer = Buffer.alloc(length);
  const fd = openSync(file, 'r');
  let read: number;
  try {
    read = readSync(fd, buffer, 0, length, from.offset);
  } finally {
    closeSync(fd);
  }

  // Only complete lines are consumed; a partial last line waits for its newline.
  const end = buffer.subarray(0, read).lastIndexOf(0x0a);
  if (end < 0) return { file, lines: [], next: from };
  const texts = buffer.toString('utf8', 0, end).split('\n');
  let offset = from.offset;
  const lines = texts.map((text, index) => {
    offset += Buffer.byteLength(text) + 1;
    const trimmed = text.endsWith('\r') ? text.slice(0, -1) : text;
    return { text: trimmed, line: from.line + index + 1, end: offset };
  });
  const next = { ...from, offset: from.offset + end + 1, line: from.line + texts.length };
  return { file, lines, next };
}

function findByInode(
  directory: string,
  position: TailPosition,
  skip: string,
): { path: string; stats: Stats } | null {
  for (const name of readdirSync(directory)) {
    if (name === skip) continue;
    const path = join(directory, name);
    const stats = statOrNull(path);
    if (
      stats !== null &&
      stats.isFile() &&
      stats.ino === position.ino &&
      stats.dev === position.dev
    ) {
      return { path, stats };
    }
  }
  return null;
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
