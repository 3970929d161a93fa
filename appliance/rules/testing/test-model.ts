import type { SampleValue } from './notation.ts';

/**
 * A parsed rule test file, in the shape of promtool's rule unit tests with Vigil's additions:
 * evaluator outputs given directly for rules that read events, pending and resolved alerts,
 * and the notifications each receiver gets. Times are ms since the test's start (epoch 0).
 */
export interface RuleTestFile {
  file: string;
  /** Rule files, resolved against the test file's directory. */
  ruleFiles: string[];
  /** Default spacing of input values and the step of the test's clock, ms. */
  evaluationIntervalMs: number;
  tests: RuleTest[];
}

export interface RuleTest {
  name: string;
  line: number;
  /** Spacing of input values, ms: item k of a values string is at k × intervalMs. */
  intervalMs: number;
  /** Time after which unchanged firing alerts are sent again, ms; the appliance's 4h default. */
  repeatIntervalMs: number;
  inputSeries: InputSeries[];
  inputOutputs: InputOutputs[];
  alertTests: AlertTest[];
  notifications: ReceiverExpectation[];
}

/** Points written to the store for rules that read series. */
export interface InputSeries {
  name: string;
  labels: Record<string, string>;
  values: SampleValue[];
  line: number;
}

/** Outputs that replace a rule's evaluator: field name to values, one item per evaluation. */
export interface InputOutputs {
  rule: string;
  labels: Record<string, string>;
  /** Always has `value`; other output fields such as `p_value` are optional. */
  fields: Record<string, SampleValue[]>;
  line: number;
}

export type ExpectedState = 'pending' | 'firing' | 'resolved';

export interface ExpectedAlert {
  state: ExpectedState;
  /** Labels besides `alertname`. */
  labels: Record<string, string>;
  /** Compared exactly when given; absent means annotations are not checked. */
  annotations?: Record<string, string>;
}

export interface AlertTest {
  evalTimeMs: number;
  alertname: string;
  expected: ExpectedAlert[];
  line: number;
}

/** One notification as a receiver gets it: the send time and the alerts by status. */
export interface NotificationSummary {
  atMs: number;
  /** Alerts as `alertname{label="value"}`, sorted. */
  firing: string[];
  resolved: string[];
}

export interface ReceiverExpectation {
  receiver: string;
  expected: NotificationSummary[];
  line: number;
}
