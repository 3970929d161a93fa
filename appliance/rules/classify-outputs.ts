import type { AlertCause } from '../alerting/alert.ts';
import type { EvaluationOutput } from '../evaluators/evaluator.ts';
import type { CompiledCondition } from './expression.ts';
import type { NanPolicy } from './model.ts';

/** The outputs of one evaluation, sorted by what they do to their alert instances. */
export interface ClassifiedOutputs {
  /** Condition true, or NaN counted as true by `nan: true`. */
  active: Array<{ output: EvaluationOutput; cause: AlertCause }>;
  /** Condition false and resolve condition false: a firing instance stays firing. */
  sustained: EvaluationOutput[];
  /** Condition saw NaN under `nan: keep_state`: the instance keeps its state. */
  frozen: EvaluationOutput[];
}

/**
 * Sorts outputs by the rule's conditions. A comparison with NaN is false, so under the default
 * policy a NaN output is inactive; `nan: true` makes it active with cause `nan`. A true condition
 * whose comparisons saw ±Inf has cause `inf`. Without a resolve condition, an inactive output
 * resolves its instance; with one, it resolves only when the resolve condition is true, and a
 * resolve condition that sees NaN is false, so NaN never resolves a firing alert under it.
 */
export function classifyOutputs(
  outputs: readonly EvaluationOutput[],
  conditions: { when: CompiledCondition; resolveWhen?: CompiledCondition; nan: NanPolicy },
): ClassifiedOutputs {
  const classified: ClassifiedOutputs = { active: [], sustained: [], frozen: [] };

  for (const output of outputs) {
    const trace = conditions.when.trace(output.values);
    if (trace.result) {
      classified.active.push({ output, cause: trace.inf ? 'inf' : 'value' });
      continue;
    }

    if (trace.nan && conditions.nan === true) {
      classified.active.push({ output, cause: 'nan' });
      continue;
    }
    if (trace.nan && conditions.nan === 'keep_state') {
      classified.frozen.push(output);
      continue;
    }

    const resolve = conditions.resolveWhen;
    if (resolve !== undefined && !resolve.evaluate(output.values)) {
      classified.sustained.push(output);
    }
  }
  return classified;
}
