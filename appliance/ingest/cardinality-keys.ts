import { appendFileSync, existsSync, readFileSync } from 'node:fs';

/**
 * One admitted key: a stream, a label set of a series name, a value of one label of a name
 * (`scope` is `name\0label`), or a category of one feature (`scope` is `stream\0feature`).
 */
export type AdmittedKey =
  | { kind: 'stream'; value: string }
  | { kind: 'series'; scope: string; value: string }
  | { kind: 'label_value'; scope: string; value: string }
  | { kind: 'category'; scope: string; value: string };

/**
 * An append-only NDJSON file of the keys the cardinality guard admitted, read at start so the
 * limits count the keys admitted before a restart. Each key is appended once, when admitted,
 * so the file grows with the limits and stops there. A write reaches the OS before the
 * record's store commit, so a killed process loses no key. An OS crash may lose the last
 * writes, because the file is not fsynced; the limit may then admit those keys again.
 */
export class CardinalityKeyLog {
  /**
   * True while the file ends in a torn line without its newline, so the next append starts a
   * new line instead of joining the fragment and losing its own first key.
   */
  private tornTail: boolean;

  private constructor(
    private readonly path: string,
    tornTail: boolean,
  ) {
    this.tornTail = tornTail;
  }

  /**
   * Opens the log at `path`, created on the first append, and returns it with the keys it
   * contains. A line that does not parse (a torn last write) is skipped and counted.
   */
  static open(path: string): { log: CardinalityKeyLog; keys: AdmittedKey[]; skipped: number } {
    const keys: AdmittedKey[] = [];
    let skipped = 0;
    const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
    for (const line of text.split('\n')) {
      if (line === '') continue;
      const key = parseKey(line);
      if (key === undefined) skipped += 1;
      else keys.push(key);
    }
    const tornTail = text !== '' && !text.endsWith('\n');
    return { log: new CardinalityKeyLog(path, tornTail), keys, skipped };
  }

  /** Appends keys in one write, and throws the file system error, such as ENOSPC. */
  append(keys: readonly AdmittedKey[]): void {
    if (keys.length === 0) return;
    const lines = keys.map((key) => JSON.stringify(key) + '\n').join('');
    appendFileSync(this.path, this.tornTail ? '\n' + lines : lines);
    this.tornTail = false;
  }
}

function parseKey(line: string): AdmittedKey | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;

  const { kind, scope, value } = parsed as Record<string, unknown>;
  if (typeof value !== 'string') return undefined;
  if (kind === 'stream') return { kind, value };
  if (typeof scope !== 'string') return undefined;
  if (kind === 'series' || kind === 'label_value' || kind === 'category') {
    return { kind, scope, value };
  }
  return undefined;
}
