import type { PredictionEvent } from '../../core/types.ts';
import type { EvaluationContext, EvaluationOutput, EvaluatorInputs } from '../evaluator.ts';

/**
 * Shared steps of the per-version evaluators (model quality and operations): read the
 * stream's events in the window, split them by model version, and build one output per
 * version with the label `version`.
 */

/**
 * Version label of the single output written for a window with no events at all, so a rule
 * still gets NaN with a reason (or a throughput of 0) instead of no output.
 */
export const NO_EVENTS_VERSION = '';

/** Reads the stream's events in the window and groups them by version, in first-seen order. */
export function eventsByVersion(
  stream: string,
  context: EvaluationContext,
): Map<string, PredictionEvent[]> {
  const groups = new Map<string, PredictionEvent[]>();
  for (const event of context.data.events(stream, context.window)) {
    let group = groups.get(event.version);
    if (group === undefined) {
      group = [];
      groups.set(event.version, group);
    }
    group.push(event);
  }
  return groups;
}

/**
 * Runs `compute` on each version's events, or once on an empty list (version
 * `NO_EVENTS_VERSION`) when the window has no events, and adds the `version` label.
 */
export function evaluateByVersion(
  stream: string,
  context: EvaluationContext,
  compute: (events: readonly PredictionEvent[]) => Omit<EvaluationOutput, 'labels'>,
): EvaluationOutput[] {
  return evaluateByVersionMany(stream, context, (events) => [{ labels: {}, ...compute(events) }]);
}

/** Like `evaluateByVersion`, for evaluators with several outputs per version. */
export function evaluateByVersionMany(
  stream: string,
  context: EvaluationContext,
  compute: (events: readonly PredictionEvent[]) => EvaluationOutput[],
): EvaluationOutput[] {
  const groups = eventsByVersion(stream, context);
  if (groups.size === 0) groups.set(NO_EVENTS_VERSION, []);

  const outputs: EvaluationOutput[] = [];
  for (const [version, events] of groups) {
    for (const output of compute(events)) {
      outputs.push({ ...output, labels: { version, ...output.labels } });
    }
  }
  return outputs;
}

/**
 * Returns the rule's stream, or throws when it is missing. Called from `create`, which runs
 * when rules load, so the error reaches the rule author and never the evaluation loop.
 */
export function requireStream(evaluator: string, inputs: EvaluatorInputs): string {
  if (typeof inputs.stream === 'string' && inputs.stream !== '') return inputs.stream;
  throw new Error(
    `${evaluator}: inputs.stream is missing (got ${JSON.stringify(inputs.stream)}); ` +
      'set it to the name of the model stream to evaluate',
  );
}

/** Converts a prediction or actual to a finite number, or NaN for null, strings and non-finite. */
export function finiteNumber(value: number | string | null): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : NaN;
}
