import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';

/**
 * Reads and writes a small JSON checkpoint durably. The new content goes to a temporary file
 * that is fsynced, then renamed over the old one, and the directory is fsynced, so a crash
 * leaves either the old or the new checkpoint, never a torn one.
 */
export class CheckpointFile<T> {
  constructor(readonly path: string) {}

  /** Returns the stored value, or undefined when there is none yet; throws on a corrupt file. */
  load(): T | undefined {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      const reason = (error as Error).message;
      throw new Error(
        `checkpoint ${this.path} is not valid JSON (${reason}); restore it from a backup or delete it to read the file from its start`,
        { cause: error },
      );
    }
  }

  save(value: T): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.tmp`;
    const fd = openSync(temporary, 'w');
    try {
      writeSync(fd, JSON.stringify(value));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, this.path);
    syncDirectory(dirname(this.path));
  }
}

function syncDirectory(directory: string): void {
  const fd = openSync(directory, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
