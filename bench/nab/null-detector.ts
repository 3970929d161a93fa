import type { DetectorFactory } from './detector.ts';

/** NAB's null detector: scores every point 0, so it detects nothing and defines a score of 0. */
export const nullDetector: DetectorFactory = {
  name: 'null',
  create: () => ({ score: () => 0 }),
};
