/**
 * Binary-classification metrics over a score per row and a 0/1 actual, with scikit-learn's
 * definitions (`sklearn.metrics`, version 1.9): ROC AUC, average precision (PR AUC) and log
 * loss. `positive[i]` is true when row i's actual is the positive class. Scores are finite
 * numbers; the caller filters the rest. Undefined values are NaN, where scikit-learn raises
 * or warns, and `undefinedReason` states why.
 */

/** Machine epsilon of float64, the clip scikit-learn applies to probabilities in `log_loss`. */
const FLOAT64_EPSILON = 2 ** -52;

/** Rows sorted by descending score, as indexes into the inputs. */
function descendingOrder(scores: readonly number[]): number[] {
  const order = scores.map((_, i) => i);
  return order.sort((a, b) => scores[b]! - scores[a]!);
}

function countPositives(positive: readonly boolean[]): number {
  let count = 0;
  for (const value of positive) if (value) count += 1;
  return count;
}

/**
 * Reason ROC AUC and average precision are undefined, or undefined when they are defined:
 * no rows, or actuals of only one class (scikit-learn raises for ROC AUC and warns for AP).
 */
export function undefinedReason(positive: readonly boolean[]): string | undefined {
  if (positive.length === 0) return 'no rows with a numeric score and an actual';
  const positives = countPositives(positive);
  if (positives === 0) return 'no actual is the positive class';
  if (positives === positive.length) return 'every actual is the positive class';
  return undefined;
}

/**
 * ROC AUC as `roc_auc_score`: the probability that a random positive row scores above a
 * random negative one, ties counting one half. Computed from the ROC curve over distinct
 * scores by the trapezoid rule, which equals the Mann-Whitney U / (P·N) form.
 */
export function rocAuc(positive: readonly boolean[], scores: readonly number[]): number {
  if (undefinedReason(positive) !== undefined) return NaN;

  const order = descendingOrder(scores);
  const positives = countPositives(positive);
  const negatives = positive.length - positives;
  let truePositives = 0;
  let falsePositives = 0;
  let area = 0;

  for (let k = 0; k < order.length;) {
    const score = scores[order[k]!]!;
    const previousTrue = truePositives;
    const previousFalse = falsePositives;
    for (; k < order.length && scores[order[k]!] === score; k += 1) {
      if (positive[order[k]!]) truePositives += 1;
      else falsePositives += 1;
    }
    // Trapezoid between two ROC points, in counts: Δfp · (tp_before + tp_after) / 2.
    area += ((falsePositives - previousFalse) * (truePositives + previousTrue)) / 2;
  }
  return area / (positives * negatives);
}

/**
 * Average precision as `average_precision_score`: Σ (R_k - R_k-1) · P_k over the distinct
 * scores in descending order, where a row is predicted positive when its score is at least
 * the threshold. This is a step sum, not the trapezoid area of the PR curve, so it does not
 * interpolate optimistically.
 */
export function averagePrecision(positive: readonly boolean[], scores: readonly number[]): number {
  if (undefinedReason(positive) !== undefined) return NaN;

  const order = descendingOrder(scores);
  const positives = countPositives(positive);
  let truePositives = 0;
  let predicted = 0;
  let previousRecall = 0;
  let sum = 0;

  for (let k = 0; k < order.length;) {
    const score = scores[order[k]!]!;
    for (; k < order.length && scores[order[k]!] === score; k += 1) {
      if (positive[order[k]!]) truePositives += 1;
      predicted += 1;
    }
    const recall = truePositives / positives;
    sum += (recall - previousRecall) * (truePositives / predicted);
    previousRecall = recall;
  }
  return sum;
}

/**
 * Mean log loss (natural log) as `log_loss(y, p, labels=[0, 1])`, with p the probability of
 * the positive class. As scikit-learn does, p and 1 - p are clipped to [ε, 1 - ε] with ε the
 * float64 machine epsilon, so a confident wrong prediction costs about 36.04, not infinity. NaN
 * for no rows. Probabilities outside [0, 1] are the caller's to reject.
 */
export function logLoss(positive: readonly boolean[], probabilities: readonly number[]): number {
  const n = Math.min(positive.length, probabilities.length);
  if (n === 0) return NaN;

  let sum = 0;
  for (let i = 0; i < n; i += 1) {
    const p = probabilities[i]!;
    const share = positive[i] ? p : 1 - p;
    sum -= Math.log(Math.min(1 - FLOAT64_EPSILON, Math.max(FLOAT64_EPSILON, share)));
  }
  return sum / n;
}
