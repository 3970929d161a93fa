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

function lineOf(problem: string): number {
  return Number(problem.split(':')[1]);
}

test('kafka spec fills defaults', () => {
  const { specs, problems } = load(`
collectors:
  - name: orders
    kind: kafka
    brokers: [127.0.0.1:9092]
    topics: [predictions]
`);

  assert.deepEqual(problems, []);
  const spec = specs[0]!;
  assert.ok(spec.kind === 'kafka');
  assert.deepEqual(spec.brokers, ['127.0.0.1:9092']);
  assert.deepEqual(spec.topics, ['predictions']);
  assert.equal(spec.groupId, 'vigil');
  assert.equal(spec.clientId, 'vigil-orders');
  assert.equal(spec.format, 'json');
  assert.equal(spec.fromBeginning, true);
  assert.equal(spec.batchRecords, 5_000);
  assert.equal(spec.sessionTimeoutMs, 30_000);
  assert.equal(spec.connectionTimeoutMs, 10_000);
  assert.equal(spec.lagIntervalMs, 15_000);
  assert.equal(spec.mapping.target, 'events');
  assert.equal(spec.tls, undefined);
  assert.equal(spec.sasl, undefined);
});

test('kafka spec reads tls and sasl from env', () => {
  const { specs, problems } = load(
    `
collectors:
  - name: orders
    kind: kafka
    brokers: [kafka-1:9093, kafka-2:9093]
    topics: [a, b.c]
    group_id: vigil-prod
    format: ndjson
    from_beginning: false
    batch_records: 1000
    session_timeout: 45s
    tls: true
    tls_ca_file: certs/ca.pem
    sasl_mechanism: scram-sha-512
    sasl_username: "\${KAFKA_USER}"
    sasl_password: "\${KAFKA_PASSWORD}"
    mapping:
      constants: { stream: orders }
`,
    { KAFKA_USER: 'vigil', KAFKA_PASSWORD: '12345' },
  );

  assert.deepEqual(problems, []);
  const spec = specs[0]!;
  assert.ok(spec.kind === 'kafka');
  assert.equal(spec.groupId, 'vigil-prod');
  assert.equal(spec.format, 'ndjson');
  assert.equal(spec.fromBeginning, false);
  assert.equal(spec.batchRecords, 1000);
  assert.equal(spec.sessionTimeoutMs, 45_000);
  assert.deepEqual(spec.tls, { rejectUnauthorized: true, caFile: '/etc/vigil/certs/ca.pem' });
  assert.deepEqual(spec.sasl, { mechanism: 'scram-sha-512', username: 'vigil', password: '12345' });
  assert.deepEqual(spec.mapping.constants, [{ to: 'stream', value: 'orders' }]);
});

test('kafka spec problems name line and column', () => {
  const { specs, problems } = load(
    `
collectors:
  - name: orders
    kind: kafka
    brokers: [localhost]
    topics: []
    format: avro
    sasl_mechanism: gssapi
    sasl_username: vigil
    sasl_password: \${KAFKA_PASSWORD}
`,
    { KAFKA_PASSWORD: '987654' },
  );

  assert.deepEqual(specs, []);
  const lines = problems.map(formatProblem).sort((a, b) => lineOf(a) - lineOf(b));
  assert.equal(lines.length, 5);
  assert.match(lines[0]!, /^appliance\.yaml:5:\d+: .*got "localhost", expected host:port/);
  assert.match(lines[1]!, /^appliance\.yaml:6:\d+: .*expected at least one topic/);
  assert.match(lines[2]!, /^appliance\.yaml:7:\d+: .*got "avro" for format/);
  assert.match(lines[3]!, /^appliance\.yaml:8:\d+: .*expected one of plain, scram-sha-256/);
  assert.match(lines[4]!, /^appliance\.yaml:10:\d+: .*value not shown/);
  for (const line of lines) assert.doesNotMatch(line, /987654/);
});

test('kafka tls files need tls enabled', () => {
  const { problems } = load(`
collectors:
  - name: orders
    kind: kafka
    brokers: [k:9092]
    topics: [t]
    tls_cert_file: client.pem
`);

  assert.equal(problems.length, 1);
  assert.match(formatProblem(problems[0]!), /set tls: true/);
});
