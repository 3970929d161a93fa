/** Per-record limits the validators enforce, with the defaults used when a caller omits one. */
export interface IngestLimits {
  /** Records waiting for a commit before new requests are answered 429. */
  maxQueueRecords: number;
  /** Records in one request; a larger request is rejected as a whole. */
  maxBatchRecords: number;
  /** Features in one event. */
  maxFeatures: number;
  /** Characters in one string value (feature, prediction, actual, label value). */
  maxStringLength: number;
  /** Labels on one series point. */
  maxLabels: number;
}

export const DEFAULT_INGEST_LIMITS: IngestLimits = {
  maxQueueRecords: 200_000,
  maxBatchRecords: 50_000,
  maxFeatures: 1_000,
  maxStringLength: 1_024,
  maxLabels: 32,
};

/** Fills defaults and throws on a value that cannot work, naming the option and the fix. */
export function resolveLimits(partial: Partial<IngestLimits> = {}): IngestLimits {
  const limits = { ...DEFAULT_INGEST_LIMITS, ...partial };
  for (const [key, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`ingest limit ${key} is ${value}: set a positive integer`);
    }
  }
  if (limits.maxBatchRecords > limits.maxQueueRecords) {
    throw new RangeError(
      `ingest limit maxBatchRecords (${limits.maxBatchRecords}) exceeds maxQueueRecords ` +
        `(${limits.maxQueueRecords}), so a full-size batch could never be queued: ` +
        'lower maxBatchRecords or raise maxQueueRecords',
    );
  }
  return limits;
}
