import { SingleBar, Presets } from 'cli-progress';

/** Posts records to an ingest endpoint in batches, in the order given, with a progress bar. */
export async function replay(options: {
  url: string;
  label: string;
  records: readonly unknown[];
  batchSize: number;
  progress: boolean;
}): Promise<{ stored: number; rejected: number }> {
  const { url, label, records, batchSize } = options;
  const bar = new SingleBar(
    {
      format: `${label.padEnd(16)} [{bar}] {percentage}% | {value}/{total} | {eta_formatted} left`,
      stream: process.stderr,
    },
    Presets.shades_classic,
  );
  if (options.progress) bar.start(records.length, 0);
  let stored = 0;
  let rejected = 0;

  for (let start = 0; start < records.length; start += batchSize) {
    const batch = records.slice(start, start + batchSize);
    const body = batch.map((record) => JSON.stringify(record)).join('\n');
    const result = await postBatch(url, body);
    stored += batch.length - result.rejected;
    rejected += result.rejected;
    if (options.progress) bar.update(Math.min(start + batchSize, records.length));
  }

  if (options.progress) bar.stop();
  return { stored, rejected };
}

/** Posts one NDJSON batch, waiting and retrying while the appliance answers 429. */
export async function postBatch(url: string, body: string): Promise<{ rejected: number }> {
  for (;;) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body,
    });
    if (response.status === 429) {
      const seconds = Number(response.headers.get('retry-after') ?? '1');
      await new Promise((resolve) => setTimeout(resolve, Math.max(0.05, seconds) * 1000));
      continue;
    }
    const result = (await response.json()) as { rejected?: unknown[] };
    if (response.status >= 400) {
      throw new Error(
        `POST ${url} failed with ${response.status}: ${JSON.stringify(result).slice(0, 500)}`,
      );
    }
    return { rejected: Array.isArray(result.rejected) ? result.rejected.length : 0 };
  }
}
