import { test } from 'node:test';
import assert from 'node:assert/strict';

import { formatProblem } from '../../../appliance/config/config.ts';
import { parseYamlText } from '../../../appliance/config/yaml-pipeline.ts';
import { collectorsFromSection } from '../../../collectors/collectors-config.ts';

function load(text: string, env: NodeJS.ProcessEnv = {}) {
  const { yaml } = parseYamlText(text, 'appliance.yaml', env);
  const value = yaml!.value as { collectors?: unknown };
  return collectorsFromSection(value.collectors, yaml!.parsed, '/etc/vigil', '/var/lib/vigil');
}

test('collector specs fill defaults and resolve paths', () => {
  const { specs, problems } = load(
    `
collectors:
  - name: predictions
    kind: file
    path: logs/predictions.ndjson
  - name: model
    kind: prometheus
    targets: [http://127.0.0.1:8000/metrics]
    interval: 5s
  - name: feed
    kind: http_poll
    url: http://127.0.0.1:9000/items
    headers: { authorization: "Bearer \${FEED_TOKEN}" }
    mode: count
    count: { series: mentions_total, keywords: [vigil] }
`,
    { FEED_TOKEN: 'abc' },
  );

  assert.deepEqual(problems, []);
  const [file, scrape, poll] = specs;
  assert.equal(file!.kind, 'file');
  assert.ok(file!.kind === 'file');
  assert.equal(file!.path, '/etc/vigil/logs/predictions.ndjson');
  assert.equal(file!.checkpointPath, '/var/lib/vigil/collectors/predictions.checkpoint.json');
  assert.equal(file!.intervalMs, 1_000);
  assert.ok(scrape!.kind === 'prometheus');
  assert.equal(scrape!.intervalMs, 5_000);
  assert.equal(scrape!.timeoutMs, 10_000);
  assert.ok(poll!.kind === 'http_poll');
  assert.equal(poll!.headers.authorization, 'Bearer abc');
  assert.equal(poll!.count!.series, 'mentions_total');
});

test('collector problems carry file, line and column', () => {
  const { specs, problems } = load(`
collectors:
  - name: predictions
    kind: file
    path: a.ndjson
    interval: soon
    mapping:
      fields:
        id: { from: request_id, type: uuid }
  - name: predictions
    kind: mqtt
`);

  assert.equal(specs.length, 0);
  assert.deepEqual(problems.map(formatProblem), [
    'appliance.yaml:9:39: collectors[0].mapping.fields.id.type: got "uuid", expected one of number, integer, string, boolean, timestamp',
    'appliance.yaml:6:15: collectors[0].interval: got "soon", expected a duration above 0 such as 15s or 1m',
    'appliance.yaml:11:11: collectors[1].kind: got "mqtt" for kind, expected one of file, replay, prometheus, http_poll, host, kafka',
  ]);
});
