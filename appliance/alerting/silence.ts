import { randomUUID } from 'node:crypto';
import { matchesAll, type Matcher } from './matchers.ts';

/** A silence, with the fields of Alertmanager's v2 API. Times are epoch ms. */
export interface Silence {
  id: string;
  matchers: SilenceMatcher[];
  startsAt: number;
  endsAt: number;
  createdBy: string;
  comment: string;
  /** Last change (creation or expiry), epoch ms of the wall clock. */
  updatedAt: number;
}

/** Alertmanager's v2 matcher: `isRegex` and `isEqual` (default true) pick the operator. */
export interface SilenceMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual: boolean;
}

/** Where silences are kept; the embedded store implements it so they survive a restart. */
export interface SilenceStore {
  loadSilences(): Silence[];
  saveSilence(silence: Silence): void;
}

export type SilenceState = 'pending' | 'active' | 'expired';

export function silenceState(silence: Silence, time: number): SilenceState {
  if (time < silence.startsAt) return 'pending';
  return time < silence.endsAt ? 'active' : 'expired';
}

export function toMatcher(matcher: SilenceMatcher): Matcher {
  const operator = matcher.isRegex ? (matcher.isEqual ? '=~' : '!~') : matcher.isEqual ? '=' : '!=';
  return { name: matcher.name, operator, value: matcher.value };
}

/**
 * The set of silences. An alert is silenced at time T when a silence with
 * `startsAt <= T < endsAt` matches all its labels. T is the engine's clock, so a replay honours
 * silences written in event time; on the wall clock it is now.
 */
export class Silences {
  readonly #store: SilenceStore | undefined;
  readonly #byId = new Map<string, Silence>();
  readonly #now: () => number;

  constructor(options: { store?: SilenceStore; now?: () => number } = {}) {
    this.#store = options.store;
    this.#now = options.now ?? Date.now;
    for (const silence of this.#store?.loadSilences() ?? []) this.#byId.set(silence.id, silence);
  }

  list(): Silence[] {
    return [...this.#byId.values()].sort((a, b) => a.startsAt - b.startsAt);
  }

  get(id: string): Silence | undefined {
    return this.#byId.get(id);
  }

  /** Creates a silence, or replaces the one with `id`; returns it. */
  upsert(input: Omit<Silence, 'id' | 'updatedAt'> & { id?: string }): Silence {
    const silence: Silence = { ...input, id: input.id ?? randomUUID(), updatedAt: this.#now() };
    this.#byId.set(silence.id, silence);
    this.#store?.saveSilence(silence);
    return silence;
  }

  /** Ends a silence now (wall clock); returns false when the id is unknown. */
  expire(id: string): boolean {
    const silence = this.#byId.get(id);
    if (silence === undefined) return false;
    const now = this.#now();
    const expired = { ...silence, endsAt: Math.min(silence.endsAt, now), updatedAt: now };
    if (expired.startsAt > expired.endsAt) expired.startsAt = expired.endsAt;
    this.#byId.set(id, expired);
    this.#store?.saveSilence(expired);
    return true;
  }

  isSilenced(labels: Record<string, string>, time: number): boolean {
    for (const silence of this.#byId.values()) {
      if (silenceState(silence, time) !== 'active') continue;
      if (matchesAll(silence.matchers.map(toMatcher), labels)) return true;
    }
    return false;
  }
}
