/**
 * Sums `values[start, start + count)` in the order NumPy's `add.reduce` uses for a contiguous
 * float64 array: blocks of at most 128 values with eight interleaved partial sums, split in halves
 * above that. The result rounds exactly as `numpy.sum` does (checked against NumPy 2.4 on random
 * arrays), which lets a re-implemented NAB detector round as the published results do.
 */
export function pairwiseSum(values: ArrayLike<number>, start: number, count: number): number {
  if (count < 8) {
    let sum = 0;
    for (let i = 0; i < count; i += 1) sum += values[start + i]!;
    return sum;
  }

  if (count <= 128) {
    const partial = new Float64Array(8);
    for (let j = 0; j < 8; j += 1) partial[j] = values[start + j]!;
    let i = 8;
    for (; i < count - (count % 8); i += 8) {
      for (let j = 0; j < 8; j += 1) partial[j] += values[start + i + j]!;
    }
    let sum =
      partial[0]! +
      partial[1]! +
      (partial[2]! + partial[3]!) +
      (partial[4]! + partial[5]! + (partial[6]! + partial[7]!));
    for (; i < count; i += 1) sum += values[start + i]!;
    return sum;
  }

  let half = Math.floor(count / 2);
  half -= half % 8;
  return pairwiseSum(values, start, half) + pairwiseSum(values, start + half, count - half);
}
