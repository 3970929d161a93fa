import { createHash } from 'node:crypto';

import type { PredictionEvent, TimeRange } from '../core/types.ts';
import { ColumnProfile } from '../sketch/column-profile.ts';
import { ReferenceProfileStore } from '../sketch/profile-store.ts';
import { splitColumn, type ColumnSample } from '../stats/samples.ts';
import type { EvaluationContext, EvaluatorInputs } from './evaluator.ts';
import { countOf, featureColumn, featureNames, isFixed, referenceRange } from './features.ts';

/**
 * The reference side of a drift rule, as raw samples or as column profiles. A fixed reference
 * range, once it has ended and returned events, is cached for the instance's life. With
 * `inputs.profileDirectory` set, its profiles (one per feature) are also written to the
 * profile store under a key made of the stream and the range, and a later instance (after
 * a restart) loads them instead of reading the raw events. The raw events are then read only
 * when a feature needs the exact path, which happens only for a reference of at most
 * `exact_max` values, or for a feature the stored profile lacks.
 * NOTE: events that arrive late for an already profiled fixed range are not seen; delete the
 * profile file under `<store directory>/profiles/` to rebuild it.
 */
export interface ReferenceData {
  /** Feature names of the reference, in first-seen order. */
  names: string[];
  /** End of a fixed reference range that the evaluation time has not reached yet. */
  pendingUntil?: number;
  /** Valid values of the feature, from the profile when there is one. */
  count(feature: string): number;
  /** Raw sample of the feature; reads the reference events when only profiles are loaded. */
  sample(feature: string): ColumnSample;
  profile(feature: string): ColumnProfile;
}

/** Creates the per-instance reader of the reference side of one drift evaluator. */
export function createReferenceSource(
  stream: string,
  inputs: EvaluatorInputs,
): (context: EvaluationContext) => ReferenceData {
  let cached: ReferenceData | undefined;
  const fixed = isFixed(inputs);
  const store =
    fixed && inputs.profileDirectory !== undefined
      ? new ReferenceProfileStore(inputs.profileDirectory)
      : undefined;

  return (context) => {
    if (cached !== undefined) return cached;
    const range = referenceRange(inputs, context);
    if (fixed && range.to > context.time) {
      // A reference still being collected would compare the current window with a part of itself.
      return { ...fromEvents([], () => []), pendingUntil: range.to };
    }
    const readRaw = () => context.data.events(stream, range);
    const key = fixed ? profileKey(stream, range) : '';
    const stored = store === undefined ? undefined : loadProfiles(store, key);
    if (stored !== undefined) {
      cached = fromProfiles(stored, readRaw);
      return cached;
    }

    const events = readRaw();
    const reference = fromEvents(events, readRaw);
    if (fixed && events.length > 0) {
      cached = reference;
      if (store !== undefined) saveProfiles(store, key, reference, inputs.features ?? []);
    }
    return reference;
  };
}

/** Profile-store name of a fixed reference: readable stream and range, plus a hash for uniqueness. */
export function profileKey(stream: string, range: TimeRange): string {
  const readable = stream.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 64);
  const hash = createHash('sha256')
    .update(`${stream}\u0000${range.from}\u0000${range.to}`)
    .digest('hex')
    .slice(0, 16);
  return `${readable}-${range.from}-${range.to}-${hash}`;
}

function fromEvents(
  events: readonly PredictionEvent[],
  readRaw: () => readonly PredictionEvent[],
): ReferenceData {
  return new LazyReference(featureNames(events), new Map(), events, readRaw);
}

function fromProfiles(
  profiles: Map<string, ColumnProfile>,
  readRaw: () => readonly PredictionEvent[],
): ReferenceData {
  return new LazyReference([...profiles.keys()], profiles, undefined, readRaw);
}

/** Reference data that splits samples and builds profiles on first use, each once. */
class LazyReference implements ReferenceData {
  readonly #samples = new Map<string, ColumnSample>();

  constructor(
    readonly names: string[],
    readonly profiles: Map<string, ColumnProfile>,
    private events: readonly PredictionEvent[] | undefined,
    private readonly readRaw: () => readonly PredictionEvent[],
  ) {}

  count(feature: string): number {
    const profile = this.profiles.get(feature);
    return profile === undefined ? countOf(this.sample(feature)) : profile.size;
  }

  sample(feature: string): ColumnSample {
    let sample = this.#samples.get(feature);
    if (sample === undefined) {
      this.events ??= this.readRaw();
      sample = splitColumn(featureColumn(this.events, feature));
      this.#samples.set(feature, sample);
    }
    return sample;
  }

  profile(feature: string): ColumnProfile {
    let profile = this.profiles.get(feature);
    if (profile === undefined) {
      profile = ColumnProfile.fromSample(this.sample(feature));
      this.profiles.set(feature, profile);
    }
    return profile;
  }
}

/** Loads stored profiles; an unreadable file counts as none, so the range is profiled again. */
function loadProfiles(
  store: ReferenceProfileStore,
  key: string,
): Map<string, ColumnProfile> | undefined {
  try {
    return store.load(key);
  } catch {
    return undefined;
  }
}

/**
 * Profiles every reference feature and the rule's requested features, and stores them. A
 * failed write leaves the profiles in memory only, so evaluation carries on.
 * NOTE: the evaluator has no logger, so a failed write is not logged; the next instance
 * profiles the raw events again.
 */
function saveProfiles(
  store: ReferenceProfileStore,
  key: string,
  reference: ReferenceData,
  requested: readonly string[],
): void {
  const names = [...new Set([...reference.names, ...requested])];
  const profiles = new Map(names.map((name) => [name, reference.profile(name)] as const));
  try {
    store.save(key, profiles);
  } catch {
    // Kept in memory; see the NOTE above.
  }
}
