import type { RuleSet } from '../rules/model.ts';

/**
 * Returns how far back from now the loaded rules read events, ms: per rule its window plus
 * the offset of a rolling reference, plus its group's interval, because an evaluation may
 * run up to one interval late. Fixed reference ranges are left out, since they are read
 * from the store once and profiled. Returns 0 for a rule set without rules.
 *
 * NOTE: an evaluator that reads past its window (a detector's training history) is not
 * counted, so that part of its read goes to the store.
 */
export function ruleLookbackMs(ruleSet: RuleSet): number {
  let longest = 0;
  for (const group of ruleSet.groups) {
    for (const rule of group.rules) {
      const reference = rule.inputs.reference;
      const offsetMs = reference !== undefined && 'offsetMs' in reference ? reference.offsetMs : 0;
      longest = Math.max(longest, rule.inputs.windowMs + offsetMs + group.intervalMs);
    }
  }
  return longest;
}
