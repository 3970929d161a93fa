import { createHash } from 'node:crypto';
import type { Rule, RuleGroup } from './model.ts';

/**
 * Hashes what a rule evaluates: its definition without its position in the file, plus the
 * group's interval and limit. A reload keeps a rule's runner (alerts, timers and evaluator
 * state) when group, name and this hash are unchanged, so moving a rule down a file or editing
 * another rule keeps it. Function values (test scripts) are hashed by their source text.
 */
export function ruleHash(rule: Rule, group: RuleGroup): string {
  // JSON.stringify leaves out undefined values, so the position does not enter the hash.
  const definition = { ...rule, position: undefined };
  const text = JSON.stringify(
    { definition, intervalMs: group.intervalMs, limit: group.limit ?? 0 },
    (_key, value: unknown) => (typeof value === 'function' ? String(value) : value),
  );
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
