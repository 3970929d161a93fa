import type { TimeRange } from '../core/types.ts';
import type { WindowReader } from '../window/window-reader.ts';

/** How a value was computed: binning, empty-bin rule, log base, exact or asymptotic, sizes. */
export type Convention = Record<string, string | number | boolean>;

/** One output of an evaluator at one evaluation time. */
export interface EvaluationOutput {
  /** Labels that tell this output apart from the rule's others, such as `{ feature: 'temp' }`. */
  labels: Record<string, string>;
  /**
   * Named numbers, such as `statistic` and `p_value`. `value` is always present and is the
   * one `$value` and recording rules use. NaN means "could not be computed"; see `reason`.
   */
  values: Record<string, number> & { value: number };
  convention: Convention;
  /** Why a value is NaN, or another caveat a reader of the result needs. */
  reason?: string;
}

/** The inputs a rule passes to an evaluator, after validation against the rule schema. */
export interface EvaluatorInputs {
  /** Stream of prediction events, for event evaluators. */
  stream?: string;
  /** Features to evaluate, for drift and data-quality evaluators; empty means all seen. */
  features?: string[];
  /** Series selector, for series evaluators. */
  series?: { name: string; matchers: Record<string, string> };
  /** Length of the evaluated window, ms, ending at the evaluation time. */
  windowMs: number;
  /** Reference for drift: a fixed event-time range, or the window `offsetMs` earlier. */
  reference?: { range: TimeRange } | { offsetMs: number };
  /** Evaluator-specific parameters, validated against the evaluator's `paramsSchema`. */
  params: Record<string, unknown>;
  /**
   * Directory where drift evaluators keep the profiles of fixed references, so a restart
   * reads the stored sketches instead of the raw reference events. Absent: kept in memory only.
   */
  profileDirectory?: string;
}

export interface EvaluationContext {
  /** Evaluation time, epoch ms; the current window is [time - windowMs, time). */
  time: number;
  window: TimeRange;
  data: WindowReader;
}

/** A per-rule evaluator instance; it may keep state between evaluations (detectors do). */
export interface EvaluatorInstance {
  evaluate(context: EvaluationContext): EvaluationOutput[];
}

/** Describes one exported value of an evaluator, for `/metrics` and the docs. */
export interface OutputSpec {
  /** Prometheus metric name, with the `vigil_` prefix and base units. */
  metric: string;
  help: string;
}

export type EvaluatorInputKind = 'events' | 'series';

/** A plug-in: one per file under `evaluators/<kind>/`, registered in `registry.ts`. */
export interface EvaluatorFactory {
  /** Dotted name used in rule files, such as `drift.ks` or `quality.mae`. */
  name: string;
  description: string;
  input: EvaluatorInputKind;
  /** Whether the rule must give a `reference` (drift evaluators). */
  needsReference: boolean;
  /** JSON Schema of `params`; checked when rule files load. */
  paramsSchema: Record<string, unknown>;
  /** Output fields by name; must include `value`. */
  outputs: Record<string, OutputSpec>;
  /** Labels the outputs carry beyond the rule's, such as `['feature']`; bounded by design. */
  outputLabels: string[];
  create(inputs: EvaluatorInputs): EvaluatorInstance;
}
