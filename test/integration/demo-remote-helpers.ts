import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createInfluxClient } from '../../appliance/store/influx/influx-setup.ts';
import { Outbox } from '../../appliance/store/outbox/outbox.ts';
import { OUTBOX_TARGETS } from '../../appliance/store/outbox/outbox-sinks.ts';
import { createSearchClient } from '../../appliance/store/search/search-client.ts';
import { DOCUMENT_KINDS } from '../../appliance/store/search/search-layout.ts';
import { REPOSITORY } from './process-helpers.ts';

export interface DemoReplayOptions {
  /** Such as `http://127.0.0.1:18086`. */
  influxUrl: string;
  /** Such as `http://127.0.0.1:9241`. */
  openSearchUrl: string;
  /** InfluxDB database the replay writes. It is dropped first, then created by the appliance. */
  database: string;
  /**
   * Data streams are `<prefix>-events`, `<prefix>-results` and `<prefix>-alerts`, deleted first.
   * Default `vigil`, the names the dashboards query.
   */
  prefix?: string;
  /** Directory of the demo's embedded store. Default: a new temp directory. */
  dataDirectory?: string;
  /** Kill the demo after this long, ms. Default 900,000 (the replay takes about 5 min on 2 cores). */
  timeoutMs?: number;
}

export interface DemoReplay {
  stdout: string;
  stderr: string;
  /** Directory of the demo's embedded store, `vigil.db` and `outbox.db` inside. */
  dataDirectory: string;
  /** Data stream prefix used. */
  prefix: string;
}

/**
 * Drops the database and the prefix's data streams, runs `npm run demo -- --once` with
 * `VIGIL_STORE=influx+opensearch` into the given servers and resolves once the demo exited with code 0 and its outbox is empty, so both servers hold the
 * whole replay. The data streams are refreshed before it resolves, so counts are exact at once.
 * Rejects with the demo's stderr on a failed exit, and with the entries left when the outbox did
 * not drain.
 */
export async function replayDemoInto(options: DemoReplayOptions): Promise<DemoReplay> {
  const prefix = options.prefix ?? 'vigil';
  const dataDirectory =
    options.dataDirectory ?? join(mkdtempSync(join(tmpdir(), 'vigil-demo-remote-')), 'store');
  await dropPrevious(options, prefix);
  const env = {
    ...process.env,
    VIGIL_STORE: 'influx+opensearch',
    INFLUX_URL: options.influxUrl,
    INFLUX_DATABASE: options.database,
    OPENSEARCH_URL: options.openSearchUrl,
    DOCUMENT_STREAM_PREFIX: prefix,
  };
  const args = ['--import', 'tsx', 'appliance/demo/main.ts', '--once', '--port', '0'];
  const finished = await runDemo(
    [...args, '--no-progress', '--data', dataDirectory],
    env,
    options.timeoutMs ?? 900_000,
  );
  if (finished.code !== 0) {
    throw new Error(`demo exited with code ${finished.code}:\n${finished.stderr}`);
  }

  const left = outboxEntriesLeft(join(dataDirectory, 'outbox.db'));
  if (Object.keys(left).length > 0) {
    throw new Error(`demo exited with outbox entries undelivered: ${JSON.stringify(left)}`);
  }
  const client = createSearchClient({ flavor: 'opensearch', url: options.openSearchUrl });
  await client.indices.refresh({ index: `${prefix}-*` });
  await client.close();
  return { stdout: finished.stdout, stderr: finished.stderr, dataDirectory, prefix };
}

async function dropPrevious(options: DemoReplayOptions, prefix: string): Promise<void> {
  const influx = createInfluxClient(options.influxUrl, options.database);
  await influx.dropDatabase(options.database);
  const client = createSearchClient({ flavor: 'opensearch', url: options.openSearchUrl });
  for (const kind of DOCUMENT_KINDS) {
    await client.indices.deleteDataStream({ name: `${prefix}-${kind}` }, { ignore: [404] });
  }
  await client.close();
}

/** Returns the entries left per outbox target, or an empty object when it is empty. */
export function outboxEntriesLeft(path: string): Record<string, number> {
  if (!existsSync(path)) throw new Error(`no outbox at ${path}: did the demo use remote stores?`);
  const outbox = new Outbox({ path });
  const left: Record<string, number> = {};
  for (const target of OUTBOX_TARGETS) {
    const entries = outbox.count(target);
    if (entries > 0) left[target] = entries;
  }
  outbox.close();
  return left;
}

function runDemo(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn('node', args, { cwd: REPOSITORY, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`demo timed out after ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
