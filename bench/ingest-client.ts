/**
 * The ingest benchmark's load generator, run as a child process so that building and sending
 * requests does not take CPU from the server's event loop. Arguments: URL, number of batches,
 * concurrent connections. It prebuilds every NDJSON body, sends `ready`, waits for `go`,
 * posts the batches over keep-alive connections and sends back the elapsed time.
 */
import { Agent, request } from 'node:http';
import { BATCH_SIZE, ndjsonBatch } from './ingest-rows.ts';

const [url = '', batchArgument = '0', concurrencyArgument = '1'] = process.argv.slice(2);
const batches = Number(batchArgument);
const concurrency = Number(concurrencyArgument);
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });

function post(body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/x-ndjson', 'content-length': body.length };
    const req = request(url, { method: 'POST', headers, agent }, (response) => {
      response.resume();
      response.once('end', () => resolve(response.statusCode ?? 0));
    });
    req.once('error', reject);
    req.end(body);
  });
}

async function sendAll(bodies: Buffer[]): Promise<number[]> {
  const statuses: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      statuses.push(await post(body));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return statuses;
}

const bodies: Buffer[] = [];
for (let b = 0; b < batches; b++) {
  bodies.push(Buffer.from(ndjsonBatch(b * BATCH_SIZE)));
}
process.send!({ type: 'ready' });

process.once('message', async () => {
  const started = performance.now();
  const statuses = await sendAll(bodies);
  const elapsedMs = performance.now() - started;
  const failed = statuses.filter((status) => status !== 200).length;
  process.send!({ type: 'done', elapsedMs, failed }, () => process.exit(0));
});
