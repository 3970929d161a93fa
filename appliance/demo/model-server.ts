import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

import { Counter, Histogram, Registry } from 'prom-client';

import type { BikeModel } from './bike-model.ts';
import { parsePredictRequest } from './predict-request.ts';

/** A stretch of event time during which every request takes `extraMs` longer. */
export interface Slowdown {
  /** Event-time range [from, to) of the forecast hours affected, epoch ms. */
  from: number;
  to: number;
  extraMs: number;
}

export interface ModelServerOptions {
  model: BikeModel;
  /** Incidents to simulate, matched on each request's `timestamp`. Default: none. */
  slowdowns?: readonly Slowdown[];
}

/** Upper bounds of the latency histogram, in seconds: 1 ms to 1 s, finest below 150 ms. */
export const LATENCY_BUCKETS = [
  0.001, 0.002, 0.003, 0.004, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.075, 0.1, 0.11, 0.125,
  0.15, 0.25, 0.5, 1,
];

type Handler = '/predict' | '/metrics' | 'unmatched';

/**
 * The demo's model server: the bike model behind `POST /predict` on 127.0.0.1, instrumented as
 * a Prometheus client library user would do it, and `GET /metrics` with its own registry.
 *
 * Latency is real: each prediction waits 1 ms plus 1 ms per 200 predicted rentals, so busy
 * hours are slower, as on a server whose load follows demand. A request inside a `slowdowns`
 * range waits `extraMs` more. Bodies that are not valid get 400 and values out of range 422.
 */
export class ModelServer {
  readonly registry = new Registry();
  private readonly duration: Histogram<'handler' | 'code'>;
  private readonly requests: Counter<'handler' | 'code'>;
  private readonly errors: Counter<'reason'>;
  private server: Server | undefined;

  constructor(private readonly options: ModelServerOptions) {
    const registers = [this.registry];
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from request start to the last byte of the response.',
      labelNames: ['handler', 'code'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.requests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests completed, by handler and status code.',
      labelNames: ['handler', 'code'],
      registers,
    });
    this.errors = new Counter({
      name: 'model_prediction_errors_total',
      help: 'Prediction requests rejected, by reason.',
      labelNames: ['reason'],
      registers,
    });
    this.initialiseSeries();
  }

  /** Listens on 127.0.0.1 at a free port and returns the base URL. */
  async start(): Promise<string> {
    const server = createServer((request, response) => {
      void this.handle(request, response);
    });
    this.server = server;
    // Longer than undici's 4 s idle keep-alive, so a client never reuses a closed connection.
    server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /**
   * Creates every expected label set at zero, so the first error after a quiet spell shows as
   * an increase instead of a new series, which a rate over two scrapes would miss.
   */
  private initialiseSeries(): void {
    for (const code of ['200', '400', '422']) {
      this.duration.zero({ handler: '/predict', code });
      this.requests.labels({ handler: '/predict', code }).inc(0);
    }
    for (const reason of ['invalid_body', 'out_of_range']) this.errors.labels({ reason }).inc(0);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const end = this.duration.startTimer();
    const handler = handlerOf(request);
    try {
      if (handler === '/predict') await this.predict(request, response);
      else if (handler === '/metrics') await this.metrics(response);
      else
        send(response, 404, { error: 'not_found', message: 'use POST /predict or GET /metrics' });
    } catch (error) {
      send(response, 500, { error: 'internal', message: (error as Error).message });
    }

    const code = String(response.statusCode);
    end({ handler, code });
    this.requests.inc({ handler, code });
  }

  private async predict(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const parsed = parsePredictRequest(await readBody(request));
    if (!('ok' in parsed)) {
      this.errors.inc({ reason: parsed.code });
      send(response, parsed.status, { error: parsed.code, message: parsed.message });
      return;
    }

    const prediction = this.options.model.predict(parsed.input);
    await sleep(1 + prediction / 200 + this.extraDelay(parsed.time));
    send(response, 200, {
      prediction: Math.round(prediction * 100) / 100,
      version: this.options.model.version,
    });
  }

  private extraDelay(time: number): number {
    let extra = 0;
    for (const slowdown of this.options.slowdowns ?? []) {
      if (time >= slowdown.from && time < slowdown.to) extra += slowdown.extraMs;
    }
    return extra;
  }

  private async metrics(response: ServerResponse): Promise<void> {
    const body = await this.registry.metrics();
    response.writeHead(200, { 'content-type': this.registry.contentType }).end(body);
  }
}

function handlerOf(request: IncomingMessage): Handler {
  const path = (request.url ?? '').split('?')[0];
  if (path === '/predict' && request.method === 'POST') return '/predict';
  if (path === '/metrics' && request.method === 'GET') return '/metrics';
  return 'unmatched';
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
