import type { BikeHour } from './bike-data.ts';

/**
 * A ridge-regularised least-squares model of hourly rentals, the demo's "model in production".
 * Features: temperature, felt temperature, humidity, wind speed, working day, holiday, weather
 * situation (one-hot, 2..4) and hour of day (one-hot, 1..23), plus an intercept.
 */
export interface BikeModel {
  version: string;
  coefficients: number[];
  predict(row: ModelInput): number;
}

/** The fields of an hour that the model reads, which the model server receives in a request. */
export type ModelInput = Pick<
  BikeHour,
  'temp' | 'atemp' | 'hum' | 'windspeed' | 'workingday' | 'holiday' | 'weathersit' | 'hour'
>;

const RIDGE_LAMBDA = 1e-3;

export function designRow(row: ModelInput): number[] {
  const features = [
    1,
    row.temp,
    row.atemp,
    row.hum,
    row.windspeed,
    row.workingday,
    row.holiday,
    row.weathersit === 2 ? 1 : 0,
    row.weathersit === 3 ? 1 : 0,
    row.weathersit === 4 ? 1 : 0,
  ];
  for (let hour = 1; hour < 24; hour++) features.push(row.hour === hour ? 1 : 0);
  return features;
}

/** Fits the model by solving (XᵀX + λI) β = Xᵀy; the intercept is not penalised. */
export function fitBikeModel(rows: readonly BikeHour[], version: string): BikeModel {
  if (rows.length === 0) throw new Error('fitBikeModel: no training rows');
  const width = designRow(rows[0]!).length;
  const gram = Array.from({ length: width }, () => new Array<number>(width).fill(0));
  const moment = new Array<number>(width).fill(0);

  for (const row of rows) {
    const x = designRow(row);
    for (let i = 0; i < width; i++) {
      moment[i]! += x[i]! * row.cnt;
      for (let j = 0; j < width; j++) gram[i]![j]! += x[i]! * x[j]!;
    }
  }
  for (let i = 1; i < width; i++) gram[i]![i]! += RIDGE_LAMBDA * rows.length;

  return modelFromCoefficients(version, solve(gram, moment));
}

/** Rebuilds a fitted model from its coefficients, as the model server thread receives them. */
export function modelFromCoefficients(version: string, coefficients: number[]): BikeModel {
  return {
    version,
    coefficients,
    predict: (row) => Math.max(0, dot(coefficients, designRow(row))),
  };
}

function dot(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/** Gaussian elimination with partial pivoting; the ridge term keeps the system non-singular. */
function solve(matrix: number[][], vector: number[]): number[] {
  const n = vector.length;
  const a = matrix.map((row, i) => [...row, vector[i]!]);

  for (let column = 0; column < n; column++) {
    let pivot = column;
    for (let row = column + 1; row < n; row++) {
      if (Math.abs(a[row]![column]!) > Math.abs(a[pivot]![column]!)) pivot = row;
    }
    [a[column], a[pivot]] = [a[pivot]!, a[column]!];
    const lead = a[column]![column]!;
    if (Math.abs(lead) < 1e-12) throw new Error('fitBikeModel: singular system');
    for (let row = column + 1; row < n; row++) {
      const factor = a[row]![column]! / lead;
      for (let k = column; k <= n; k++) a[row]![k]! -= factor * a[column]![k]!;
    }
  }

  const result = new Array<number>(n).fill(0);
  for (let row = n - 1; row >= 0; row--) {
    let sum = a[row]![n]!;
    for (let k = row + 1; k < n; k++) sum -= a[row]![k]! * result[k]!;
    result[row] = sum / a[row]![row]!;
  }
  return result;
}
