import type { PredictionEvent } from '../../core/types.ts';
import {
  accuracy,
  averageScores,
  classScores,
  confusionMatrix,
  type ClassScores,
} from '../../stats/classification.ts';
import type { EvaluationOutput, EvaluatorFactory, EvaluatorInputs } from '../evaluator.ts';
import { evaluateByVersion, evaluateByVersionMany, requireStream } from './by-version.ts';
import { CLASSIFICATION_SOURCE, labelPairs, noRowsReason } from './label-pairs.ts';

/**
 * Classification quality evaluators per model version: accuracy, precision, recall and F1.
 * For the last three, `params.average` is `macro` (default), `weighted` or `binary`. For
 * `binary`, `params.positive_label` names the positive class, and with more than two classes
 * the result is one-vs-rest (scikit-learn's per-class value for that label). `params.per_class: true` adds one output per class beside the average.
 * Outputs carry the label `class`: the class name on per-class and binary outputs, '' on the
 * averaged one.
 */

type ScoreName = 'precision' | 'recall' | 'f1';
type Average = 'macro' | 'weighted' | 'binary';

interface ScoreParams {
  average: Average;
  positiveLabel: string | undefined;
  perClass: boolean;
}

const AVERAGES: readonly Average[] = ['macro', 'weighted', 'binary'];

/** Reason a class score is undefined, as in scikit-learn's zero-division warnings. */
const UNDEFINED_BECAUSE: Record<ScoreName, string> = {
  precision: 'no event was predicted as this class',
  recall: 'no event has this class as its actual',
  f1: 'the class appears in neither predictions nor actuals',
};

/** Unpacks and validates `params`; throws at rule load with the value and the fix. */
function parseParams(name: string, params: Record<string, unknown>): ScoreParams {
  const average = params.average ?? 'macro';
  if (!AVERAGES.includes(average as Average)) {
    throw new Error(
      `${name}: params.average is invalid (got ${JSON.stringify(average)}); use macro, weighted or binary`,
    );
  }

  const positive = params.positive_label;
  if (average === 'binary' && typeof positive !== 'string' && typeof positive !== 'number') {
    throw new Error(
      `${name}: params.positive_label is missing for average binary (got ${JSON.stringify(positive)}); ` +
        'set it to the label of the positive class, such as 1 or "fraud"',
    );
  }

  return {
    average: average as Average,
    positiveLabel: positive === undefined ? undefined : String(positive),
    perClass: params.per_class === true,
  };
}

function classOutput(
  score: ScoreName,
  scores: ClassScores,
  n: number,
  skipped: number,
): EvaluationOutput {
  const output: EvaluationOutput = {
    labels: { class: scores.label },
    values: { value: scores[score], n, skipped, support: scores.support },
    convention: { average: 'none', definition: score, source: CLASSIFICATION_SOURCE },
  };
  if (Number.isNaN(scores[score])) {
    output.reason = `${score} of class ${scores.label} is undefined: ${UNDEFINED_BECAUSE[score]}`;
  }
  return output;
}

function computeScores(
  score: ScoreName,
  params: ScoreParams,
  events: readonly PredictionEvent[],
): EvaluationOutput[] {
  const pairs = labelPairs(events);
  const n = pairs.actual.length;
  const emptyReason = noRowsReason(events.length, pairs);
  const convention = { average: params.average, definition: score, source: CLASSIFICATION_SOURCE };
  if (emptyReason !== undefined) {
    const labels = { class: params.positiveLabel ?? '' };
    const values = { value: NaN, n, skipped: pairs.skipped, support: 0 };
    return [{ labels, values, convention, reason: emptyReason }];
  }

  const perClass = classScores(confusionMatrix(pairs.actual, pairs.predicted));
  if (params.average === 'binary') {
    const label = params.positiveLabel!;
    const positive = perClass.find((scores) => scores.label === label);
    if (positive !== undefined) return [classOutput(score, positive, n, pairs.skipped)];
    const values = { value: NaN, n, skipped: pairs.skipped, support: 0 };
    const reason = `${score} of class ${label} is undefined: the class appears in neither predictions nor actuals`;
    return [{ labels: { class: label }, values, convention, reason }];
  }

  const averaged = averageScores(perClass, params.average)[score];
  const outputs: EvaluationOutput[] = [
    {
      labels: { class: '' },
      values: { value: averaged, n, skipped: pairs.skipped, support: n },
      convention,
      ...(Number.isNaN(averaged) ? { reason: `${score} is undefined for every class` } : {}),
    },
  ];
  if (params.perClass) {
    for (const scores of perClass) outputs.push(classOutput(score, scores, n, pairs.skipped));
  }
  return outputs;
}

function scoreEvaluator(name: string, score: ScoreName, metric: string): EvaluatorFactory {
  return {
    name,
    description: `Classification ${score} per model version, averaged macro, weighted or binary.`,
    input: 'events',
    needsReference: false,
    paramsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        average: { enum: [...AVERAGES] },
        positive_label: { type: ['string', 'number'] },
        per_class: { type: 'boolean' },
      },
    },
    outputs: {
      value: { metric, help: `Classification ${score} as a ratio` },
      n: { metric: `${metric.replace(/_ratio$/, '')}_rows`, help: `Rows used by the ${score}` },
      skipped: {
        metric: `${metric.replace(/_ratio$/, '')}_skipped_rows`,
        help: `Events left out of the ${score} for lack of a prediction or an actual`,
      },
      support: {
        metric: `${metric.replace(/_ratio$/, '')}_support_rows`,
        help: `Rows whose actual is the class (all rows on the averaged output)`,
      },
    },
    outputLabels: ['version', 'class'],
    create(inputs: EvaluatorInputs) {
      const stream = requireStream(name, inputs);
      const params = parseParams(name, inputs.params);
      return {
        evaluate: (context) =>
          evaluateByVersionMany(stream, context, (events) => computeScores(score, params, events)),
      };
    },
  };
}

export const precisionEvaluator = scoreEvaluator(
  'quality.precision',
  'precision',
  'vigil_model_precision_ratio',
);
export const recallEvaluator = scoreEvaluator(
  'quality.recall',
  'recall',
  'vigil_model_recall_ratio',
);
export const f1Evaluator = scoreEvaluator('quality.f1', 'f1', 'vigil_model_f1_ratio');

/** Accuracy per model version: the fraction of events whose prediction equals the actual. */
export const accuracyEvaluator: EvaluatorFactory = {
  name: 'quality.accuracy',
  description:
    'Fraction of events whose prediction equals the actual, per model version; labels compare as strings.',
  input: 'events',
  needsReference: false,
  paramsSchema: { type: 'object', additionalProperties: false, properties: {} },
  outputs: {
    value: { metric: 'vigil_model_accuracy_ratio', help: 'Accuracy as a ratio' },
    n: { metric: 'vigil_model_accuracy_rows', help: 'Rows used by the accuracy' },
    skipped: {
      metric: 'vigil_model_accuracy_skipped_rows',
      help: 'Events left out of the accuracy for lack of a prediction or an actual',
    },
  },
  outputLabels: ['version'],
  create(inputs) {
    const stream = requireStream('quality.accuracy', inputs);
    return {
      evaluate: (context) =>
        evaluateByVersion(stream, context, (events) => {
          const pairs = labelPairs(events);
          const reason = noRowsReason(events.length, pairs);
          return {
            values: {
              value: accuracy(pairs.actual, pairs.predicted),
              n: pairs.actual.length,
              skipped: pairs.skipped,
            },
            convention: { definition: 'accuracy_score', source: CLASSIFICATION_SOURCE },
            ...(reason === undefined ? {} : { reason }),
          };
        }),
    };
  },
};
