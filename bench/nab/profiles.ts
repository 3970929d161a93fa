import { readFileSync } from 'node:fs';

/** Weights of one NAB application profile (`CostMatrix` in `profiles.json`). */
export interface CostMatrix {
  tpWeight: number;
  fpWeight: number;
  fnWeight: number;
}

export interface Profile {
  name: string;
  cost: CostMatrix;
}

/** Reads NAB's `profiles.json` (standard, reward_low_FP_rate, reward_low_FN_rate), in file order. */
export function readProfiles(path: string): Profile[] {
  const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null) {
    throw new Error(
      `${path}: invalid profiles file, expected an object of profile name to CostMatrix`,
    );
  }

  return Object.entries(parsed).map(([name, profile]) => {
    const matrix = (profile as { CostMatrix?: Record<string, unknown> }).CostMatrix ?? {};
    const cost = {
      tpWeight: matrix.tpWeight,
      fpWeight: matrix.fpWeight,
      fnWeight: matrix.fnWeight,
    };
    for (const [field, value] of Object.entries(cost)) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw new Error(
          `${path}: ${name}.CostMatrix.${field}: invalid weight ${JSON.stringify(value)}, ` +
            'expected a finite number >= 0',
        );
      }
    }
    return { name, cost: cost as CostMatrix };
  });
}
