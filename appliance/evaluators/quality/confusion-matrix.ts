import type { PredictionEvent } from '../../core/types.ts';
import { confusionMatrix } from '../../stats/classification.ts';
import type { EvaluationOutput, EvaluatorFactory } from '../evaluator.ts';
import { evaluateByVersionMany, requireStream } from './by-version.ts';
import { CLASSIFICATION_SOURCE, labelPairs, noRowsReason } from './label-pairs.ts';

/**
 * Confusion matrix per model version as `sklearn.metrics.confusion_matrix`: one output per
 * cell, labelled `actual` and `predicted`, whose value is the count of rows with that actual
 * and that prediction. `row_ratio` is the count divided by the rows of that actual
 * (`normalize='true'`). Classes are the sorted union of actuals and predictions, so a window
 * with k classes gives k² outputs. `params.max_classes` (default 20) bounds that cardinality:
 * a window with more classes returns one NaN output with a reason instead.
 */

const DEFAULT_MAX_CLASSES = 20;

function matrixOutputs(events: readonly PredictionEvent[], maxClasses: number): EvaluationOutput[] {
  const pairs = labelPairs(events);
  const convention = { definition: 'confusion_matrix', source: CLASSIFICATION_SOURCE };
  const emptyReason = noRowsReason(events.length, pairs);
  const nan = { value: NaN, row_ratio: NaN, n: pairs.actual.length, skipped: pairs.skipped };
  if (emptyReason !== undefined) {
    return [
      { labels: { actual: '', predicted: '' }, values: nan, convention, reason: emptyReason },
    ];
  }

  const { labels, matrix } = confusionMatrix(pairs.actual, pairs.predicted);
  if (labels.length > maxClasses) {
    const reason = `${labels.length} classes exceed params.max_classes (${maxClasses}); raise it to see every cell`;
    return [{ labels: { actual: '', predicted: '' }, values: nan, convention, reason }];
  }

  const outputs: EvaluationOutput[] = [];
  labels.forEach((actual, i) => {
    const row = matrix[i]!;
    const rowTotal = row.reduce((total, count) => total + count, 0);
    labels.forEach((predicted, j) => {
      const count = row[j]!;
      const values = {
        value: count,
        row_ratio: rowTotal === 0 ? NaN : count / rowTotal,
        n: pairs.actual.length,
        skipped: pairs.skipped,
      };
      outputs.push({ labels: { actual, predicted }, values, convention });
    });
  });
  return outputs;
}

export const confusionMatrixEvaluator: EvaluatorFactory = {
  name: 'quality.confusion_matrix',
  description: 'Confusion matrix per model version, one count per actual and predicted class.',
  input: 'events',
  needsReference: false,
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      max_classes: { type: 'integer', minimum: 1, maximum: 200, default: DEFAULT_MAX_CLASSES },
    },
  },
  outputs: {
    value: { metric: 'vigil_model_confusion_rows', help: 'Rows with this actual and prediction' },
    row_ratio: {
      metric: 'vigil_model_confusion_row_ratio',
      help: 'Rows with this actual and prediction over the rows with this actual',
    },
    n: { metric: 'vigil_model_confusion_total_rows', help: 'Rows used by the matrix' },
    skipped: {
      metric: 'vigil_model_confusion_skipped_rows',
      help: 'Events left out for lack of a prediction or an actual',
    },
  },
  outputLabels: ['version', 'actual', 'predicted'],
  create(inputs) {
    const stream = requireStream('quality.confusion_matrix', inputs);
    const maxClasses = (inputs.params.max_classes ?? DEFAULT_MAX_CLASSES) as number;
    return {
      evaluate: (context) =>
        evaluateByVersionMany(stream, context, (events) => matrixOutputs(events, maxClasses)),
    };
  },
};
