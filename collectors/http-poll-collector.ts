import type { BackoffOptions } from './backoff.ts';
import { RetryableError, recordLag, submitOrThrow, type CollectorContext } from './collector.ts';
import { applyMapping, readPath, type Mapping } from './mapping.ts';
import { PollingCollector } from './polling-collector.ts';
import type { Rejection } from '../appliance/ingest/rejection.ts';

/** Count mode: items whose text contains a keyword, per poll, become one point. */
export interface CountOptions {
  series: string;
  /** Path of the text matched against `keywords`, case-insensitively. */
  textPath: string;
  /** Keywords; an empty list counts every new item. */
  keywords: string[];
  labels?: Record<string, string>;
}

export interface HttpPollOptions {
  name: string;
  url: string;
  intervalMs: number;
  timeoutMs: number;
  /** Request headers, such as `Authorization: Bearer ${TOKEN}` from the config; never logged. */
  headers?: Record<string, string>;
  /** Path of the item list in the response body; `''` when the body is the list. */
  itemsPath: string;
  /** Path of the next-page cursor in the response body; pagination stops when it is empty. */
  cursorPath?: string;
  /** Query parameter that carries the cursor. */
  cursorParam?: string;
  /** Path of the item id used for dedupe. */
  idPath: string;
  /** Pages followed per poll at most. */
  maxPages?: number;
  /** `events` maps each new item through `mapping`; `count` stores one point per poll. */
  mode: 'events' | 'count';
  mapping?: Mapping;
  count?: CountOptions;
  /** Ids remembered for dedupe; the oldest are forgotten first. */
  maxSeenIds?: number;
  backoff?: BackoffOptions;
}

/**
 * Polls a JSON API at an interval. Each poll follows the cursor from the first page until a
 * page brings no new item, and only items whose id was not seen before are ingested. Ids are
 * marked seen after the ingest commit, so a failed write polls them again. A non-2xx response
 * or a network error fails the poll, and the loop retries it after a jittered backoff.
 * NOTE: seen ids live in memory, so after a restart the first poll may repeat items. In events
 * mode the store drops them by event id, but in count mode they are counted again.
 */
export class HttpPollCollector extends PollingCollector {
  readonly kind = 'http_poll';
  private readonly seen = new Set<string>();

  constructor(
    private readonly options: HttpPollOptions,
    private readonly context: CollectorContext,
  ) {
    super(options, context);
  }

  protected step(): Promise<void> {
    return this.poll();
  }

  protected override startDetails(): Record<string, unknown> {
    return { url: redactQuery(this.options.url), mode: this.options.mode };
  }

  /** Runs one poll through the loop, so failures count toward the backoff. */
  runOnce(): Promise<void> {
    return this.loop.runOnce();
  }

  private async poll(): Promise<void> {
    const fresh = await this.fetchNewItems();
    this.context.metrics.received.inc({ collector: this.name }, fresh.length);
    if (this.options.mode === 'count') await this.submitCount(fresh);
    else await this.submitItems(fresh);

    for (const item of fresh) this.remember(itemId(item, this.options.idPath)!);
  }

  private async fetchNewItems(): Promise<unknown[]> {
    const fresh: unknown[] = [];
    const inPoll = new Set<string>();
    let cursor: string | undefined;
    for (let page = 0; page < (this.options.maxPages ?? 10); page++) {
      const body = await this.fetchPage(cursor);
      const items = this.options.itemsPath === '' ? body : readPath(body, this.options.itemsPath);
      if (!Array.isArray(items)) {
        throw new RetryableError(
          `response has no list at ${JSON.stringify(this.options.itemsPath)}; check items_path`,
        );
      }
      const before = fresh.length;
      for (const item of items) {
        const id = itemId(item, this.options.idPath);
        if (id === undefined) {
          this.context.metrics.rejected.inc({ collector: this.name, reason: 'missing_field' });
          continue;
        }
        if (this.seen.has(id) || inPoll.has(id)) continue;
        inPoll.add(id);
        fresh.push(item);
      }

      const next =
        this.options.cursorPath === undefined ? undefined : readPath(body, this.options.cursorPath);
      if (fresh.length === before || typeof next !== 'string' || next === '') break;
      cursor = next;
    }
    return fresh;
  }

  private async fetchPage(cursor: string | undefined): Promise<unknown> {
    const url = new URL(this.options.url);
    if (cursor !== undefined) url.searchParams.set(this.options.cursorParam ?? 'cursor', cursor);
    const credentials = basicAuthorization(url);
    const response = await fetch(url, {
      headers: { accept: 'application/json', ...credentials, ...this.options.headers },
      signal: AbortSignal.timeout(this.options.timeoutMs),
    });
    const text = await response.text();
    if (!response.ok)
      throw new RetryableError(`HTTP status ${response.status} from the poll source`);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new RetryableError('poll source returned a body that is not JSON');
    }
  }

  private async submitItems(items: readonly unknown[]): Promise<void> {
    const mapping = this.options.mapping;
    if (mapping === undefined) throw new Error('events mode needs a mapping');
    const rows: unknown[] = [];
    const rejected: Rejection[] = [];
    for (const item of items) {
      const mapped = applyMapping(mapping, item, rows.length, rejected);
      if ('dropped' in mapped) continue;
      rows.push('row' in mapped ? mapped.row : null);
    }
    const result = await submitOrThrow(this.context.ingest, mapping.target, rows, rejected);
    recordLag(this.context.metrics, this.name, rows, (this.context.now ?? Date.now)());
    for (const rejection of result.rejected) {
      this.context.metrics.rejected.inc({ collector: this.name, reason: rejection.code });
      this.logger.warn(
        { code: rejection.code, field: rejection.field, reason: rejection.reason },
        'item rejected',
      );
    }
  }

  private async submitCount(items: readonly unknown[]): Promise<void> {
    const count = this.options.count;
    if (count === undefined) throw new Error('count mode needs count options');
    const keywords = count.keywords.map((keyword) => keyword.toLowerCase());
    const matching = items.filter((item) => {
      if (keywords.length === 0) return true;
      const text = readPath(item, count.textPath);
      return (
        typeof text === 'string' && keywords.some((keyword) => text.toLowerCase().includes(keyword))
      );
    });
    const point = {
      name: count.series,
      labels: { ...count.labels },
      value: matching.length,
      timestamp: (this.context.now ?? Date.now)(),
    };
    await submitOrThrow(this.context.ingest, 'points', [point]);
  }

  private remember(id: string): void {
    this.seen.add(id);
    if (this.seen.size > (this.options.maxSeenIds ?? 100_000)) {
      this.seen.delete(this.seen.values().next().value as string);
    }
  }
}

function itemId(item: unknown, path: string): string | undefined {
  const id = readPath(item, path);
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

/**
 * Moves a user name and password out of `url` into a Basic authorization header, as curl does,
 * because fetch rejects a URL with credentials and its error message repeats them. A configured
 * `authorization` header overrides it.
 */
function basicAuthorization(url: URL): Record<string, string> {
  if (url.username === '' && url.password === '') return {};
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  const encoded = Buffer.from(`${user}:${password}`, 'utf8').toString('base64');
  return { authorization: `Basic ${encoded}` };
}

/**
 * Drops the user name, password and query string, which may carry credentials or an API key,
 * from a URL before it is logged.
 */
function redactQuery(url: string): string {
  const parsed = new URL(url);
  const query = parsed.search === '' ? '' : '?[redacted]';
  return `${parsed.origin}${parsed.pathname}${query}`;
}
