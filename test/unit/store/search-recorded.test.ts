// Recorded-response tests: no Elasticsearch server can run here, so a local HTTP server replays
// Elasticsearch 8 responses (status, body and the `x-elastic-product` header) in the shapes the
// Elasticsearch 8 REST reference documents, and records the requests the adapter sent.
// They cover the Elasticsearch-only parts: ILM, data stream lifecycle and the product check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSearchClient } from '../../../appliance/store/search/search-client.ts';
import { ensureSearchLayout } from '../../../appliance/store/search/search-setup.ts';
import { SearchBulkWriter } from '../../../appliance/store/search/search-bulk-writer.ts';
import { silentLogger } from '../../../appliance/log/logger.ts';

interface Recorded {
  method: string;
  path: string;
  contentType: string | undefined;
  accept: string | undefined;
  body: string;
}

type Reply = { status: number; body: unknown; product?: boolean };

/** Serves `reply(request)` on 127.0.0.1 and records every request. */
async function replay(reply: (request: Recorded) => Reply) {
  const requests: Recorded[] = [];
  const server = createServer(async (req: IncomingMessage, res) => {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const request = {
      method: req.method ?? '',
      path: req.url ?? '',
      contentType: req.headers['content-type'],
      accept: req.headers.accept,
      body,
    };
    requests.push(request);
    const answer = reply(request);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (answer.product !== false) headers['x-elastic-product'] = 'Elasticsearch';
    res.writeHead(answer.status, headers).end(JSON.stringify(answer.body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => server.close() };
}

const acknowledged = (): Reply => ({ status: 200, body: { acknowledged: true } });

test('ILM policy per kind and linked from template', async () => {
  const es = await replay(acknowledged);
  const client = createSearchClient({ flavor: 'elasticsearch', url: es.url });

  const lifecycle = await ensureSearchLayout(
    client,
    { flavor: 'elasticsearch', retentionDays: 14 },
    silentLogger(),
  );
  es.close();

  assert.deepEqual(lifecycle, { kind: 'ilm' });
  const paths = es.requests.map((r) => `${r.method} ${r.path}`);
  assert.deepEqual(paths, [
    'PUT /_ilm/policy/vigil-events',
    'PUT /_ilm/policy/vigil-results',
    'PUT /_ilm/policy/vigil-alerts',
    'PUT /_index_template/vigil-events',
    'PUT /_index_template/vigil-results',
    'PUT /_index_template/vigil-alerts',
  ]);
  const policy = JSON.parse(es.requests[0]!.body);
  assert.deepEqual(policy.policy.phases.delete, { min_age: '14d', actions: { delete: {} } });
  const template = JSON.parse(es.requests[3]!.body);
  assert.deepEqual(template.index_patterns, ['vigil-events*']);
  assert.deepEqual(template.data_stream, {});
  assert.equal(template.template.settings['index.lifecycle.name'], 'vigil-events');
  assert.equal(template.template.settings.number_of_replicas, 0);
  assert.equal(
    es.requests[0]!.contentType,
    'application/vnd.elasticsearch+json; compatible-with=8',
  );
});

test('data stream lifecycle sets retention, no ILM', async () => {
  const es = await replay(acknowledged);
  const client = createSearchClient({ flavor: 'elasticsearch', url: es.url });

  const lifecycle = await ensureSearchLayout(
    client,
    { flavor: 'elasticsearch', elasticLifecycle: 'data-stream', retentionDays: 7 },
    silentLogger(),
  );
  es.close();

  assert.deepEqual(lifecycle, { kind: 'data-stream' });
  assert.equal(es.requests.filter((r) => r.path.startsWith('/_ilm')).length, 0);
  const template = JSON.parse(es.requests[0]!.body);
  assert.deepEqual(template.template.lifecycle, { data_retention: '7d' });
  assert.equal(template.template.settings['index.lifecycle.name'], undefined);
});

test('product check: elasticsearch strict, opensearch off', async () => {
  const server = await replay(() => ({ status: 200, body: { tagline: 'x' }, product: false }));
  const elastic = createSearchClient({ flavor: 'elasticsearch', url: server.url, maxRetries: 0 });
  const open = createSearchClient({ flavor: 'opensearch', url: server.url, maxRetries: 0 });

  await assert.rejects(elastic.info(), { name: 'ProductNotSupportedError' });
  const info = await open.info();
  server.close();

  assert.equal(info.tagline, 'x');
  assert.equal(server.requests.at(-1)!.accept, 'application/json');
});

test('bulk items: created, 409 and 400 settled apart', async () => {
  const items = [
    { create: { _index: 'vigil-events', _id: 'a', status: 201, result: 'created' } },
    { create: { _index: 'vigil-events', _id: 'b', status: 409, error: { type: 'conflict' } } },
    {
      create: {
        _index: 'vigil-events',
        _id: 'c',
        status: 400,
        error: { type: 'document_parsing_exception', reason: 'failed to parse [latency_ms]' },
      },
    },
  ];
  const es = await replay(() => ({ status: 200, body: { errors: true, took: 1, items } }));
  const client = createSearchClient({ flavor: 'elasticsearch', url: es.url });
  const writer = new SearchBulkWriter({ client, logger: silentLogger() });
  const doc = (id: string) => ({ id, body: { '@timestamp': '2026-12-01T00:00:00.000Z', n: id } });

  const outcome = await writer.write('events', [doc('a'), doc('b'), doc('c')]);
  es.close();

  assert.equal(outcome.stored, 1);
  assert.equal(outcome.alreadyStored, 1);
  assert.deepEqual(outcome.rejected, [
    { id: 'c', status: 400, reason: 'failed to parse [latency_ms]' },
  ]);
  const lines = es.requests[0]!.body.trim().split('\n');
  assert.deepEqual(JSON.parse(lines[0]!), { create: { _index: 'vigil-events', _id: 'a' } });
  assert.equal(
    es.requests[0]!.contentType,
    'application/vnd.elasticsearch+x-ndjson; compatible-with=8',
  );
});
