import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ColumnProfile } from './column-profile.ts';

/**
 * Reference profiles computed once and kept, so drift against a fixed reference reads
 * sketches instead of raw reference rows. A profile is a map from column name to
 * `ColumnProfile`, kept in memory and written as `<directory>/profiles/<name>.json`, each
 * column's bytes in base64. Writes go to a temporary file renamed into place, so a reader
 * sees the old or the new file, never half of one.
 */

const NAME_PATTERN = /^[A-Za-z0-9_.-]+$/;
const FORMAT = 'vigil-reference-profile-v1';

export class ReferenceProfileStore {
  private readonly cache = new Map<string, Map<string, ColumnProfile>>();

  constructor(private readonly directory: string) {}

  save(name: string, columns: ReadonlyMap<string, ColumnProfile>): void {
    const path = this.pathOf(name);
    const encoded: Record<string, string> = {};
    for (const [column, profile] of columns) {
      encoded[column] = Buffer.from(profile.toBytes()).toString('base64');
    }
    mkdirSync(join(this.directory, 'profiles'), { recursive: true });
    writeFileSync(`${path}.tmp`, JSON.stringify({ format: FORMAT, name, columns: encoded }));
    renameSync(`${path}.tmp`, path);
    this.cache.set(name, new Map(columns));
  }

  /** Returns the stored profile from memory or the file, or undefined when none was saved. */
  load(name: string): Map<string, ColumnProfile> | undefined {
    const cached = this.cache.get(name);
    if (cached !== undefined) return cached;

    let text: string;
    try {
      text = readFileSync(this.pathOf(name), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const parsed = JSON.parse(text) as { format?: string; columns?: Record<string, string> };
    if (parsed.format !== FORMAT || typeof parsed.columns !== 'object') {
      throw new Error(
        `${this.pathOf(name)} is not a reference profile (format ${String(parsed.format)})`,
      );
    }
    const columns = new Map<string, ColumnProfile>();
    for (const [column, base64] of Object.entries(parsed.columns)) {
      columns.set(column, ColumnProfile.fromBytes(new Uint8Array(Buffer.from(base64, 'base64'))));
    }
    this.cache.set(name, columns);
    return columns;
  }

  private pathOf(name: string): string {
    if (!NAME_PATTERN.test(name)) {
      throw new Error(
        `profile name is invalid (got ${JSON.stringify(name)}); use letters, digits, _ . -`,
      );
    }
    return join(this.directory, 'profiles', `${name}.json`);
  }
}
