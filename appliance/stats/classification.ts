/**
 * Classification metrics over paired actual and predicted labels, with scikit-learn's
 * definitions (`sklearn.metrics`, version 1.9) and `zero_division=np.nan`: a precision with no
 * predicted positives, or a recall with no actual positives, is NaN, not 0. scikit-learn's
 * default (`'warn'`, which acts as 0) would report a class the model never predicts as
 * precision 0, an alarm that is wrong, so Vigil reports NaN and the caller gives the reason.
 * As scikit-learn does with NaN, macro and weighted averages skip NaN classes.
 *
 * Labels are compared as strings (`String(label)`), so the number 1 and the string '1' are one
 * class. Classes are sorted numerically when every label is a number, else by code unit, which
 * matches `np.unique` on a numeric or a string array.
 */

export type Label = number | string;

export interface ClassScores {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Rows whose actual is this class. */
  support: number;
}

export interface ConfusionMatrix {
  /** Sorted classes; row i is actual `labels[i]`, column j is predicted `labels[j]`. */
  labels: string[];
  matrix: number[][];
}

export type Average = 'macro' | 'weighted';

export interface AveragedScores {
  precision: number;
  recall: number;
  f1: number;
}

/** Sorted union of the classes of both arrays, as `sklearn.utils.multiclass.unique_labels`. */
export function classLabels(actual: readonly Label[], predicted: readonly Label[]): string[] {
  const seen = new Set<string>();
  let allNumbers = true;
  for (const label of [...actual, ...predicted]) {
    seen.add(String(label));
    if (typeof label !== 'number') allNumbers = false;
  }

  const labels = [...seen];
  if (allNumbers) return labels.sort((a, b) => Number(a) - Number(b));
  return labels.sort();
}

/** Confusion matrix as `sklearn.metrics.confusion_matrix` with the sorted union of classes. */
export function confusionMatrix(
  actual: readonly Label[],
  predicted: readonly Label[],
): ConfusionMatrix {
  const labels = classLabels(actual, predicted);
  const index = new Map(labels.map((label, i) => [label, i]));
  const matrix = labels.map(() => labels.map(() => 0));

  const n = Math.min(actual.length, predicted.length);
  for (let i = 0; i < n; i += 1) {
    const row = index.get(String(actual[i]))!;
    const column = index.get(String(predicted[i]))!;
    matrix[row]![column]! += 1;
  }
  return { labels, matrix };
}

/** Fraction of rows whose prediction equals the actual, NaN for no rows. */
export function accuracy(actual: readonly Label[], predicted: readonly Label[]): number {
  const n = Math.min(actual.length, predicted.length);
  if (n === 0) return NaN;

  let correct = 0;
  for (let i = 0; i < n; i += 1) if (String(actual[i]) === String(predicted[i])) correct += 1;
  return correct / n;
}

/**
 * Per-class precision, recall, F1 and support from a confusion matrix, as
 * `precision_recall_fscore_support(average=None, zero_division=np.nan)`. F1 is computed as
 * 2·TP / (2·TP + FP + FN), so it is 0, not NaN, when only one of precision and recall is NaN.
 */
export function classScores(confusion: ConfusionMatrix): ClassScores[] {
  const { labels, matrix } = confusion;
  return labels.map((label, k) => {
    const truePositives = matrix[k]![k]!;
    let predictedPositives = 0;
    let support = 0;
    for (let i = 0; i < labels.length; i += 1) {
      predictedPositives += matrix[i]![k]!;
      support += matrix[k]![i]!;
    }

    const falsePositives = predictedPositives - truePositives;
    const falseNegatives = support - truePositives;
    const f1Denominator = 2 * truePositives + falsePositives + falseNegatives;
    return {
      label,
      precision: ratio(truePositives, predictedPositives),
      recall: ratio(truePositives, support),
      f1: ratio(2 * truePositives, f1Denominator),
      support,
    };
  });
}

/**
 * Macro (unweighted mean over classes) or weighted (mean weighted by support) averages of
 * per-class scores. NaN classes are left out and the weights of the rest renormalised, as
 * scikit-learn's `_nanaverage`. A score that is NaN for every class averages to NaN, and when
 * every class left has support 0 the weighted average falls back to the plain mean, as there.
 */
export function averageScores(scores: readonly ClassScores[], average: Average): AveragedScores {
  const weightOf = (score: ClassScores) => (average === 'weighted' ? score.support : 1);
  const mean = (pick: (score: ClassScores) => number): number => {
    let sum = 0;
    let weights = 0;
    let plainSum = 0;
    let count = 0;
    for (const score of scores) {
      const value = pick(score);
      if (Number.isNaN(value)) continue;
      sum += value * weightOf(score);
      weights += weightOf(score);
      plainSum += value;
      count += 1;
    }
    if (count === 0) return NaN;
    return weights === 0 ? plainSum / count : sum / weights;
  };

  return {
    precision: mean((score) => score.precision),
    recall: mean((score) => score.recall),
    f1: mean((score) => score.f1),
  };
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? NaN : numerator / denominator;
}
