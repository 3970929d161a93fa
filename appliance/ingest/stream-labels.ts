/**
 * Bounds the `stream` label on the per-stream ingest counters. Streams arrive from clients,
 * not only from configuration, so past `maxLabels` distinct names new ones share `_other`.
 */
export class StreamLabels {
  private readonly known = new Set<string>();

  constructor(private readonly maxLabels: number) {}

  label(stream: string): string {
    if (this.known.has(stream)) {
      return stream;
    }
    if (this.known.size >= this.maxLabels) {
      return '_other';
    }
    this.known.add(stream);
    return stream;
  }
}
