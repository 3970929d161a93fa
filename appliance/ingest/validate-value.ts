/**
 * Checks of single values shared by the validators. Each returns `null` when the value is
 * valid, otherwise the reason with the fix, so the hot path builds no closures or exceptions.
 */

/** Strings that pandas, NumPy and Python write for non-finite floats. */
const NON_FINITE_TEXT = /^[+-]?(nan|inf|infinity)$/i;

export function isNonFiniteText(value: string): boolean {
  return value.length <= 9 && NON_FINITE_TEXT.test(value);
}

/** Why a feature value is invalid, or null. Valid: finite number, string, boolean, null. */
export function featureValueProblem(value: unknown, maxStringLength: number): string | null {
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? null : NON_FINITE_REASON;
    case 'boolean':
      return null;
    case 'string':
      return stringProblem(value, maxStringLength);
    case 'object':
      if (value === null) {
        return null;
      }
      return Array.isArray(value)
        ? 'arrays are not feature values: send one feature per element, such as "emb.0", "emb.1"'
        : 'objects are not feature values: flatten nested fields into dotted names such as "a.b"';
    default:
      return 'feature values are numbers, strings, booleans or null';
  }
}

/** Why a prediction or actual is invalid, or null. Valid: finite number or string. */
export function outcomeProblem(value: unknown, maxStringLength: number): string | null {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? null : NON_FINITE_REASON;
  }
  if (typeof value === 'string') {
    return stringProblem(value, maxStringLength);
  }
  if (typeof value === 'boolean') {
    return 'booleans are not accepted here: send 0 or 1, or a class label string such as "true"';
  }
  return 'send a finite number (regression, score) or a string (class label), or null';
}

function stringProblem(value: string, maxStringLength: number): string | null {
  if (isNonFiniteText(value)) {
    return `"${value}" is a non-finite number written as text: send null for a missing value or a finite number`;
  }
  if (value.length > maxStringLength) {
    return `string of ${value.length} characters exceeds the limit of ${maxStringLength}: shorten it`;
  }
  return null;
}

const NON_FINITE_REASON =
  'non-finite number (NaN or Infinity): send null for a missing value or a finite number';
