import type { RuleSet } from '../rules/model.ts';
import type { Store } from '../store/store.ts';
import type { Evidence } from './retrain-trigger.ts';

/**
 * Looks up the evidence of a retraining trigger in the store: the result the rule wrote at the
 * flush time (the engine writes results before it notifies) and the rule's window ending then.
 */
export function storeEvidence(store: Store, ruleSet: RuleSet) {
  return (ruleGroup: string, rule: string, time: number): Evidence | undefined => {
    const latest = store
      .queryResults(rule, { from: time, to: time + 1 })
      .find((result) => result.group === ruleGroup);
    const windowMs = ruleSet.groups
      .find((group) => group.name === ruleGroup)
      ?.rules.find((candidate) => candidate.name === rule)?.inputs.windowMs;
    if (latest === undefined || windowMs === undefined) return undefined;
    return { window: { from: time - windowMs, to: time }, values: latest.values };
  };
}

/** Evaluation interval of each rule group, ms. */
export function groupIntervals(ruleSet: RuleSet): Map<string, number> {
  return new Map(ruleSet.groups.map((group) => [group.name, group.intervalMs]));
}
