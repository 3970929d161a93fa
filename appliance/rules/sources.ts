import type { Rule, RuleGroup } from './model.ts';

/** Returns the data source a rule reads: `stream:<name>` or `series:<name>`. */
export function sourceOf(rule: Rule): string | undefined {
  if (rule.inputs.stream !== undefined) return `stream:${rule.inputs.stream}`;
  if (rule.inputs.series !== undefined) return `series:${rule.inputs.series.name}`;
  return undefined;
}

/** Returns the sources the rules of a group read, each once, in rule order. */
export function sourcesOf(group: RuleGroup): string[] {
  const sources = new Set<string>();
  for (const rule of group.rules) {
    const source = sourceOf(rule);
    if (source !== undefined) sources.add(source);
  }
  return [...sources];
}
