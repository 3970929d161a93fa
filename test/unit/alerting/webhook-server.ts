import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A webhook endpoint on 127.0.0.1 that records each request body and answers with `statuses`. */
export class TestWebhookServer {
  readonly bodies: unknown[] = [];
  readonly #statuses: number[];
  #server: Server | undefined;

  /** Statuses of the successive answers; after the last one it answers 200. */
  constructor(statuses: number[] = []) {
    this.#statuses = [...statuses];
  }

  async start(): Promise<string> {
    const server = createServer((request, response) => {
      void readBody(request).then((body) => {
        this.bodies.push(JSON.parse(body));
        response.statusCode = this.#statuses.shift() ?? 200;
        response.end();
      });
    });
    this.#server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/hook`;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
