import type { AlertBatch, AlertSink } from '../../../appliance/alerting/notifier.ts';
import type { AlertInstance } from '../../../appliance/alerting/state-machine.ts';
import type {
  EvaluationContext,
  EvaluationOutput,
  EvaluatorFactory,
} from '../../../appliance/evaluators/evaluator.ts';
import { silentLogger } from '../../../appliance/log/logger.ts';
import { createMetrics, type VigilMetrics } from '../../../appliance/metrics/metrics.ts';
import { RuleEngine, type RuleEngineOptions } from '../../../appliance/rules/engine.ts';
import type { AlertingRule, RecordingRule, RuleGroup } from '../../../appliance/rules/model.ts';
import { SqliteStore } from '../../../appliance/store/sqlite-store.ts';
import type { WindowReader } from '../../../appliance/window/window-reader.ts';

export const MINUTE = 60_000;
export const T0 = Date.UTC(2011, 0, 1);
export const at = (minute: number): number => T0 + minute * MINUTE;

/** Outputs a scripted evaluator returns at an evaluation time. */
export type Script = (context: EvaluationContext) => EvaluationOutput[];

/** One evaluator call: which rule's instance ran, at which time, over which window. */
export interface Call {
  rule: string;
  time: number;
  from: number;
  to: number;
}

/**
 * Creates an evaluator whose outputs come from the `script` parameter of the rule's inputs, and which
 * records each call, so tests can drive values and check order and timestamps.
 */
export function scriptedEvaluator(calls: Call[] = []): EvaluatorFactory {
  return {
    name: 'test.scripted',
    description: 'Returns the outputs its script gives.',
    input: 'series',
    needsReference: false,
    paramsSchema: {},
    outputs: {
      value: { metric: 'vigil_test_value', help: 'Scripted test value.' },
      extra: { metric: 'vigil_test_extra', help: 'Scripted second value.' },
    },
    outputLabels: ['feature'],
    create(inputs) {
      const script = inputs.params.script as Script;
      const rule = inputs.params.rule as string;
      return {
        evaluate(context) {
          calls.push({
            rule,
            time: context.time,
            from: context.window.from,
            to: context.window.to,
          });
          return script(context);
        },
      };
    },
  };
}

/** Builds one output with the given value and labels. */
export function output(value: number, labels: Record<string, string> = {}): EvaluationOutput {
  return { labels, values: { value }, convention: { method: 'scripted' } };
}

const position = { file: 'rules/test.yaml', line: 1, column: 1 };

export function alertRule(
  name: string,
  script: Script,
  options: { forMs?: number; when?: string; series?: string } = {},
): AlertingRule {
  return {
    kind: 'alert',
    name,
    evaluator: 'test.scripted',
    inputs: {
      series: { name: options.series ?? 'x', matchers: {} },
      windowMs: 5 * MINUTE,
      params: { script, rule: name },
    },
    labels: { severity: 'warning' },
    position,
    when: options.when ?? 'value > 0',
    forMs: options.forMs ?? 0,
    annotations: { summary: '{{ $labels.alertname }} is {{ $value }}' },
  };
}

export function recordRule(
  name: string,
  script: Script,
  options: { stream?: string } = {},
): RecordingRule {
  const inputs =
    options.stream === undefined
      ? { series: { name: 'x', matchers: {} } }
      : { stream: options.stream };
  return {
    kind: 'record',
    name,
    evaluator: 'test.scripted',
    inputs: { ...inputs, windowMs: MINUTE, params: { script, rule: name } },
    labels: { team: 'ml' },
    position,
    field: 'value',
  };
}

export function group(name: string, rules: RuleGroup['rules'], intervalMs = MINUTE): RuleGroup {
  return { name, intervalMs, rules, file: 'rules/test.yaml' };
}

/** A notifier that keeps every batch it is given. */
export class CapturingSink implements AlertSink {
  readonly batches: AlertBatch[] = [];

  notify(batch: AlertBatch): void {
    this.batches.push(batch);
  }
}

export const emptyWindow: WindowReader = { events: () => [], points: () => [] };

export interface TestEngine {
  engine: RuleEngine;
  store: SqliteStore;
  metrics: VigilMetrics;
  sink: CapturingSink;
}

export function createTestEngine(
  groups: RuleGroup[],
  options: Partial<RuleEngineOptions> & { calls?: Call[] } = {},
): TestEngine {
  const store =
    (options.store as SqliteStore | undefined) ?? SqliteStore.open({ directory: ':memory:' });
  const metrics = options.metrics ?? createMetrics({ defaultMetrics: false });
  const sink = new CapturingSink();
  const engine = new RuleEngine({
    ruleSet: { groups },
    evaluators: new Map([['test.scripted', scriptedEvaluator(options.calls)]]),
    store,
    window: emptyWindow,
    notifier: options.notifier ?? sink,
    metrics,
    logger: silentLogger(),
    clock: options.clock ?? 'event',
    externalUrl: 'http://127.0.0.1:9680',
    ...(options.timers ? { timers: options.timers } : {}),
  });
  return { engine, store, metrics, sink };
}

/** Reads one sample of a metric, or undefined when that labelset is absent. */
export async function sampleOf(
  metrics: VigilMetrics,
  name: string,
  labels: Record<string, string>,
): Promise<number | undefined> {
  const metric = await metrics.registry.getSingleMetric(name)?.get();
  const found = metric?.values.find((value) =>
    Object.entries(labels).every(([label, expected]) => value.labels[label] === expected),
  );
  return found?.value;
}

/** Names the state of an instance for timelines: `-` when absent, `resolved` once resolved. */
export function stateName(instance: AlertInstance | undefined): string {
  if (instance === undefined) return '-';
  if (instance.resolvedAt > 0) return 'resolved';
  return instance.state;
}
