import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The part of Alertmanager's webhook payload the demo reads. */
export interface WebhookPayload {
  version: string;
  status: 'firing' | 'resolved';
  groupLabels: Record<string, string>;
  alerts: Array<{ status: string; labels: Record<string, string>; startsAt: string }>;
}

/** A local webhook receiver on 127.0.0.1 that keeps every payload it is sent. */
export class WebhookSink {
  readonly payloads: WebhookPayload[] = [];
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        try {
          this.payloads.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as WebhookPayload);
          response.writeHead(200).end();
        } catch {
          response.writeHead(400).end('body is not JSON');
        }
      });
    });
    // Longer than the 4 s that undici, the fetch client, keeps an idle connection, so a
    // delivery does not reuse a connection the sink has just closed (ECONNRESET).
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/webhook`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }
}
