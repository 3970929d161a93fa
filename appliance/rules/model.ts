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

export interface AlertingRule extends RuleBase {
  kind: 'alert';
  /** Condition over the evaluator's output fields, such as `p_value < 0.01 and statistic > 0.2`. */
  when: string;
  /** How long the condition must hold before the alert fires, ms. */
  forMs: number;
  annotations: Record<string, string>;
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
}

export interface RuleSet {
  groups: RuleGroup[];
}
