import type { EvaluatorInputs } from '../evaluators/evaluator.ts';

/** Where a rule came from, for messages as `file:line:column`. */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

interface RuleBase {
  /** Alert name or recorded metric name. */
  name: string;
  evaluator: string;
  inputs: EvaluatorInputs;
  labels: Record<string, string>;
  position: SourcePosition;
}

/**
 * What an alerting rule does when its evaluator returns no outputs (`noData`) or fails
 * (`error`): `ok` treats it as a false condition, `alerting` as a true one, `nodata` starts an
 * instance labelled `vigil_reason`, and `keep_state` leaves every instance as it was.
 */
export type StatePolicy = 'ok' | 'alerting' | 'nodata' | 'keep_state';

/** How a condition whose comparison saw NaN counts: false, true, or keep the instance's state. */
export type NanPolicy = false | true | 'keep_state';

/** A receiver a firing alert of the rule triggers directly, such as a retraining webhook. */
export interface RuleAction {
  receiver: string;
}

export interface AlertingRule extends RuleBase {
  kind: 'alert';
  /** Condition over the evaluator's output fields, such as `p_value < 0.01 and statistic > 0.2`. */
  when: string;
  /** How long the condition must hold before the alert fires, ms. */
  forMs: number;
  annotations: Record<string, string>;
  /** Condition that resolves a firing alert; absent means "when `when` is false". */
  resolveWhen?: string;
  /** How long a firing alert keeps firing after its condition ended, ms; default 0. */
  keepFiringForMs?: number;
  /** Evaluations a pending alert may miss before it starts again; default 0, as Prometheus. */
  tolerance?: number;
  /** Default `ok`. */
  noData?: StatePolicy;
  /** Default `keep_state`. */
  error?: StatePolicy;
  /** Default false. */
  nan?: NanPolicy;
  /** Default none. */
  actions?: RuleAction[];
}

export interface RecordingRule extends RuleBase {
  kind: 'record';
  /** Output field stored as the recorded series; `value` by default. */
  field: string;
}

export type Rule = AlertingRule | RecordingRule;

export interface RuleGroup {
  name: string;
  /** Evaluation interval, ms; evaluations run at multiples of it in the engine's clock. */
  intervalMs: number;
  rules: Rule[];
  file: string;
  /**
   * Most alert instances (alerting rules) or series (recording rules) one rule may produce at
   * one evaluation; above it the evaluation fails. Absent or 0 means no limit, as Prometheus.
   */
  limit?: number;
}

export interface RuleSet {
  groups: RuleGroup[];
}
