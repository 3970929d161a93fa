import type { PredictionEvent } from '../../core/types.ts';
import { averagePrecision, logLoss, rocAuc, undefinedReason } from '../../stats/binary-scores.ts';
import type { EvaluationOutput, EvaluatorFactory } from '../evaluator.ts';
import { evaluateByVersion, requireStream } from './by-version.ts';
import { CLASSIFICATION_SOURCE } from './label-pairs.ts';

/**
 * Score-based binary classification quality per model version: ROC AUC, PR AUC (average
 * precision) and log loss. The event's `prediction` is the model's score for the positive
 * class (a probability for log loss), and `actual` is a label compared as a string with
 * `params.positive_label` (default 1). Events without a numeric score or an actual are
 * skipped and counted; for log loss, so are scores outside [0, 1].
 * NOTE: multiclass scores need one probability per class, which an event's single
 * `prediction` cannot carry, so these evaluators are binary only.
 */

type ScoreMetric = 'roc_auc' | 'pr_auc' | 'log_loss';

interface ScoredRows {
  positive: boolean[];
  scores: number[];
  skipped: number;
  /** Rows left out for a score outside [0, 1], counted in `skipped` too. */
  outOfRange: number;
}

/** Collects (is-positive, score) rows. With `probabilities`, scores outside [0, 1] are left out. */
function scoredRows(
  events: readonly PredictionEvent[],
  positiveLabel: string,
  probabilities: boolean,
): ScoredRows {
  const rows: ScoredRows = { positive: [], scores: [], skipped: 0, outOfRange: 0 };
  for (const event of events) {
    const score = event.prediction;
    if (event.actual === null || typeof score !== 'number' || !Number.isFinite(score)) {
      rows.skipped += 1;
      continue;
    }
    if (probabilities && !(score >= 0 && score <= 1)) {
      rows.skipped += 1;
      rows.outOfRange += 1;
      continue;
    }
    rows.positive.push(String(event.actual) === positiveLabel);
    rows.scores.push(score);
  }
  return rows;
}

function computeMetric(
  metric: ScoreMetric,
  events: readonly PredictionEvent[],
  positiveLabel: string,
): Omit<EvaluationOutput, 'labels'> {
  const rows = scoredRows(events, positiveLabel, metric === 'log_loss');
  const values = { n: rows.positive.length, skipped: rows.skipped, out_of_range: rows.outOfRange };
  const convention = { definition: SKLEARN_NAMES[metric], positive_label: positiveLabel };
  const source = { ...convention, source: CLASSIFICATION_SOURCE };

  const reason = metricReason(metric, events.length, rows);
  if (reason !== undefined)
    return { values: { value: NaN, ...values }, convention: source, reason };

  const value =
    metric === 'roc_auc'
      ? rocAuc(rows.positive, rows.scores)
      : metric === 'pr_auc'
        ? averagePrecision(rows.positive, rows.scores)
        : logLoss(rows.positive, rows.scores);
  if (metric === 'log_loss') {
    return {
      values: { value, ...values },
      convention: { ...source, log_base: 'e', clip: '[eps, 1 - eps], eps = float64 epsilon' },
    };
  }
  return { values: { value, ...values }, convention: source };
}

/** Log loss needs rows only; the AUCs also need both classes among the actuals. */
function metricReason(metric: ScoreMetric, events: number, rows: ScoredRows): string | undefined {
  if (events === 0) return 'no events in window';
  if (metric !== 'log_loss') return undefinedReason(rows.positive);
  if (rows.positive.length === 0) return 'no rows with a probability in [0, 1] and an actual';
  return undefined;
}

const SKLEARN_NAMES: Record<ScoreMetric, string> = {
  roc_auc: 'roc_auc_score',
  pr_auc: 'average_precision_score',
  log_loss: 'log_loss',
};

function parsePositiveLabel(name: string, params: Record<string, unknown>): string {
  const label = params.positive_label ?? 1;
  if (typeof label !== 'string' && typeof label !== 'number') {
    throw new Error(
      `${name}: params.positive_label is invalid (got ${JSON.stringify(label)}); ` +
        'set it to the label of the positive class, such as 1 or "fraud"',
    );
  }
  return String(label);
}

function scoreEvaluator(
  name: string,
  metric: ScoreMetric,
  prefix: string,
  description: string,
): EvaluatorFactory {
  return {
    name,
    description,
    input: 'events',
    needsReference: false,
    paramsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: { positive_label: { type: ['string', 'number'], default: 1 } },
    },
    outputs: {
      value: { metric: prefix, help: description },
      n: { metric: `${prefix.replace(/_ratio$/, '')}_rows`, help: 'Rows used' },
      skipped: {
        metric: `${prefix.replace(/_ratio$/, '')}_skipped_rows`,
        help: 'Events left out for lack of a numeric score or an actual, or a score outside [0, 1]',
      },
    },
    outputLabels: ['version'],
    create(inputs) {
      const stream = requireStream(name, inputs);
      const positiveLabel = parsePositiveLabel(name, inputs.params);
      return {
        evaluate: (context) =>
          evaluateByVersion(stream, context, (events) =>
            computeMetric(metric, events, positiveLabel),
          ),
      };
    },
  };
}

export const rocAucEvaluator = scoreEvaluator(
  'quality.roc_auc',
  'roc_auc',
  'vigil_model_roc_auc_ratio',
  'ROC AUC of the score against the actual, per model version (binary)',
);
export const prAucEvaluator = scoreEvaluator(
  'quality.pr_auc',
  'pr_auc',
  'vigil_model_pr_auc_ratio',
  'PR AUC as average precision of the score against the actual, per model version (binary)',
);
export const logLossEvaluator = scoreEvaluator(
  'quality.log_loss',
  'log_loss',
  'vigil_model_log_loss',
  'Mean log loss (natural log) of the positive-class probability, per model version (binary)',
);
