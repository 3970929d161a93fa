import type { InhibitRuleConfig } from '../config/config.ts';
import type { Alert } from './alert.ts';
import { matchesAll, parseMatchers, type Matcher } from './matchers.ts';

interface InhibitRule {
  source: Matcher[];
  target: Matcher[];
  equal: string[];
}

/**
 * Inhibition as Alertmanager's `inhibit_rules`: an alert matching a rule's target matchers is
 * muted while a firing alert matching its source matchers has the same values of the `equal`
 * labels (a missing label counts as ""). An alert never inhibits itself.
 */
export class Inhibitor {
  readonly #rules: InhibitRule[];

  constructor(rules: readonly InhibitRuleConfig[]) {
    this.#rules = rules.map((rule) => ({
      source: parseMatchers(rule.sourceMatchers),
      target: parseMatchers(rule.targetMatchers),
      equal: rule.equal,
    }));
  }

  /** True when one of `firing` inhibits `alert`. */
  isInhibited(alert: Alert, firing: readonly Alert[]): boolean {
    return this.#rules.some(
      (rule) =>
        matchesAll(rule.target, alert.labels) &&
        firing.some(
          (source) =>
            source.fingerprint !== alert.fingerprint &&
            source.status === 'firing' &&
            matchesAll(rule.source, source.labels) &&
            rule.equal.every((name) => (source.labels[name] ?? '') === (alert.labels[name] ?? '')),
        ),
    );
  }
}
