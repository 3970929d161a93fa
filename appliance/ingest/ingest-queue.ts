/**
 * A bounded queue of validated batches in front of a synchronous store. Requests enqueue a
 * batch and await its commit. One writer drains the queue in group commits: several batches go
 * to one `commitGroup` call, so they share the cost of a transaction. Depth counts records.
 */

export type CommitResult<R> = { ok: true; value: R } | { ok: false; reason: string };

export type EnqueueResult<R> =
  { accepted: true; committed: Promise<CommitResult<R>> } | { accepted: false; depth: number };

export interface IngestQueueOptions<T, R> {
  /** Records waiting for a commit; a batch that would pass it is not accepted. */
  maxQueueRecords: number;
  /** Records handed to one `commitGroup` call; one batch larger than this still goes alone. */
  maxGroupRecords: number;
  /**
   * Commits the payloads and returns one result per payload, in order. It may throw: every
   * batch of the group then fails with the error's message and nothing is acknowledged.
   */
  commitGroup: (payloads: T[]) => CommitResult<R>[];
  /** Called with the depth after every change, for the queue-depth gauge. */
  onDepth?: (depth: number) => void;
  /**
   * Schedules a drain. The default, setImmediate, runs it after the pending I/O callbacks,
   * so requests that finished reading in the same event-loop turn share one commit.
   */
  schedule?: (drain: () => void) => void;
}

interface Entry<T, R> {
  payload: T;
  records: number;
  resolve: (result: CommitResult<R>) => void;
}

export class IngestQueue<T, R> {
  private readonly options: Required<IngestQueueOptions<T, R>>;
  private entries: Entry<T, R>[] = [];
  private depthRecords = 0;
  private drainScheduled = false;

  constructor(options: IngestQueueOptions<T, R>) {
    this.options = {
      ...options,
      onDepth: options.onDepth ?? (() => {}),
      schedule: options.schedule ?? setImmediate,
    };
  }

  get depth(): number {
    return this.depthRecords;
  }

  /** Queues a batch of `records` records, or returns `accepted: false` when the queue is full. */
  enqueue(payload: T, records: number): EnqueueResult<R> {
    if (this.depthRecords > 0 && this.depthRecords + records > this.options.maxQueueRecords) {
      return { accepted: false, depth: this.depthRecords };
    }

    const committed = new Promise<CommitResult<R>>((resolve) => {
      this.entries.push({ payload, records, resolve });
    });
    this.setDepth(this.depthRecords + records);
    this.scheduleDrain();
    return { accepted: true, committed };
  }

  /** Commits everything queued now, in groups; the writer calls it, and so does shutdown. */
  drain(): void {
    this.drainScheduled = false;
    while (this.entries.length > 0) {
      this.commitNextGroup();
    }
  }

  private scheduleDrain(): void {
    if (this.drainScheduled) {
      return;
    }
    this.drainScheduled = true;
    this.options.schedule(() => this.drain());
  }

  private commitNextGroup(): void {
    const group = this.takeGroup();
    const results = this.runCommit(group);

    let released = 0;
    for (let i = 0; i < group.length; i++) {
      released += group[i]!.records;
      group[i]!.resolve(results[i] ?? { ok: false, reason: 'the store returned no result' });
    }
    this.setDepth(this.depthRecords - released);
  }

  private takeGroup(): Entry<T, R>[] {
    let count = 0;
    let records = 0;
    while (count < this.entries.length) {
      const next = this.entries[count]!.records;
      if (count > 0 && records + next > this.options.maxGroupRecords) {
        break;
      }
      records += next;
      count++;
    }
    return this.entries.splice(0, count);
  }

  private runCommit(group: Entry<T, R>[]): CommitResult<R>[] {
    try {
      return this.options.commitGroup(group.map((entry) => entry.payload));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return group.map(() => ({ ok: false, reason }));
    }
  }

  private setDepth(depth: number): void {
    this.depthRecords = depth;
    this.options.onDepth(depth);
  }
}
