import type { WebhookPayload } from '../../alerting/alertmanager-payload.ts';
import type { NotificationContext, Receiver } from '../../alerting/dispatcher.ts';
import { Notifier } from '../../alerting/notifier.ts';
import type { SeriesPoint } from '../../core/types.ts';
import type { EvaluationOutput, EvaluatorFactory } from '../../evaluators/evaluator.ts';
import { silentLogger } from '../../log/logger.ts';
import { createMetrics } from '../../metrics/metrics.ts';
import { SqliteStore } from '../../store/sqlite-store.ts';
import type { WindowReader } from '../../window/window-reader.ts';
import { RuleEngine } from '../engine.ts';
import type { Rule, RuleSet } from '../model.ts';
import { sourcesOf } from '../sources.ts';
import { formatSeries } from './notation.ts';
import type { InputOutputs, NotificationSummary, RuleTest } from './test-model.ts';

/**
 * The real rule engine and notifier for one test: an in-memory store holding the input series,
 * evaluators replaced by the test's outputs where it gives them, receivers that keep what they
 * get, and the event-time clock moved by the test. The test's start is epoch 0.
 */
export class TestHarness {
  readonly engine: RuleEngine;
  readonly received = new Map<string, NotificationSummary[]>();
  readonly #store: SqliteStore;

  readonly #notifier: Notifier;
  readonly #sources: string[];
  readonly #stepMs: number;
  #now = -1;

  constructor(options: {
    ruleSet: RuleSet;
    evaluators: ReadonlyMap<string, EvaluatorFactory>;
    test: RuleTest;
    receivers: readonly string[];
  }) {
    const { ruleSet, test } = options;
    this.#store = SqliteStore.open({ directory: ':memory:' });
    this.#store.insertPoints(inputPoints(test));

    const substituted = substituteEvaluators(ruleSet, options.evaluators, test);
    const metrics = createMetrics({ defaultMetrics: false });
    const receivers = options.receivers.map((name) => this.#memoryReceiver(name));
    this.#notifier = new Notifier({
      receivers: [],
      customReceivers: receivers,
      repeatIntervalMs: test.repeatIntervalMs,
      externalUrl: 'http://127.0.0.1:9680',
      metrics,
      logger: silentLogger(),
    });
    this.engine = new RuleEngine({
      ruleSet: substituted.ruleSet,
      evaluators: substituted.evaluators,
      store: this.#store,
      window: storeReader(this.#store),
      notifier: this.#notifier,
      metrics,
      logger: silentLogger(),
      clock: 'event',
      externalUrl: 'http://127.0.0.1:9680',
    });

    this.#sources = [...new Set(ruleSet.groups.flatMap((group) => sourcesOf(group)))];
    const intervals = ruleSet.groups.map((group) => group.intervalMs);
    this.#stepMs = Math.min(test.intervalMs, ...intervals);
  }

  /**
   * Moves every source's watermark to `time` in steps no longer than the shortest group
   * interval, so each group evaluates at most once per step, and waits for the deliveries of
   * each step before the next, as the notification log needs.
   */
  async advanceTo(time: number): Promise<void> {
    while (this.#now < time) {
      this.#now = this.#now < 0 ? 0 : Math.min(this.#now + this.#stepMs, time);
      // Earliest -1 makes 0 the first evaluation time of every group.
      for (const source of this.#sources) this.engine.advance(source, this.#now, -1);
      await this.#notifier.flush();
    }
  }

  close(): void {
    this.#store.close();
  }

  #memoryReceiver(name: string): Receiver {
    const received: NotificationSummary[] = [];
    this.received.set(name, received);
    return {
      name,
      send: (payload: WebhookPayload, context?: NotificationContext) => {
        received.push(summarise(payload, context?.time ?? this.#now));
        return Promise.resolve({ delivered: true, attempts: 1, status: 200 });
      },
    };
  }
}

/** Summarises a payload as the alerts it reports firing and resolved, by labelset. */
export function summarise(payload: WebhookPayload, atMs: number): NotificationSummary {
  const describe = (status: 'firing' | 'resolved') =>
    payload.alerts
      .filter((alert) => alert.status === status)
      .map(({ labels: { alertname = '', ...rest } }) => formatSeries(alertname, rest))
      .sort();
  return { atMs, firing: describe('firing'), resolved: describe('resolved') };
}

/**
 * Turns the input series into points, item k at k × interval.
 * NOTE: the store keeps finite points only, so NaN and ±Inf items are left out as `_` is, and
 * `stale` is the same as `_` because Vigil's windows have no lookback to end.
 */
function inputPoints(test: RuleTest): SeriesPoint[] {
  return test.inputSeries.flatMap((series) =>
    series.values.flatMap((value, index) =>
      typeof value === 'number' && Number.isFinite(value)
        ? [{ name: series.name, labels: series.labels, value, timestamp: index * test.intervalMs }]
        : [],
    ),
  );
}

function storeReader(store: SqliteStore): WindowReader {
  return {
    events: (stream, range) => store.queryEvents(stream, range),
    points: (name, matchers, range) => store.queryPoints(name, matchers, range),
  };
}

/**
 * Points each rule named in `input_outputs` at an evaluator that returns the given outputs.
 * Item k of each values string is the output at evaluation time k × interval. A `_` or `stale`
 * item of `value`, or a time past the list, means no output for that labelset.
 */
function substituteEvaluators(
  ruleSet: RuleSet,
  evaluators: ReadonlyMap<string, EvaluatorFactory>,
  test: RuleTest,
): { ruleSet: RuleSet; evaluators: Map<string, EvaluatorFactory> } {
  const all = new Map(evaluators);
  const byRule = new Map<string, InputOutputs[]>();
  for (const outputs of test.inputOutputs) {
    byRule.set(outputs.rule, [...(byRule.get(outputs.rule) ?? []), outputs]);
  }

  const replace = (rule: Rule): Rule => {
    const given = byRule.get(rule.name);
    const original = evaluators.get(rule.evaluator);
    if (given === undefined || original === undefined) return rule;
    const name = `test.outputs:${rule.name}`;
    all.set(name, scriptedFactory(name, original, given, test.intervalMs));
    return { ...rule, evaluator: name };
  };
  const groups = ruleSet.groups.map((group) => ({ ...group, rules: group.rules.map(replace) }));
  return { ruleSet: { groups }, evaluators: all };
}

function scriptedFactory(
  name: string,
  original: EvaluatorFactory,
  given: InputOutputs[],
  intervalMs: number,
): EvaluatorFactory {
  const evaluate = (time: number): EvaluationOutput[] => {
    const index = time / intervalMs;
    if (!Number.isInteger(index)) return [];
    return given.flatMap((outputs) => {
      const value = outputs.fields.value?.[index];
      if (typeof value !== 'number') return [];
      const values: Record<string, number> & { value: number } = { value };
      for (const [field, items] of Object.entries(outputs.fields)) {
        const item = items[index];
        if (typeof item === 'number') values[field] = item;
      }
      return [{ labels: { ...outputs.labels }, values, convention: { source: 'rule test' } }];
    });
  };
  return { ...original, name, create: () => ({ evaluate: ({ time }) => evaluate(time) }) };
}
