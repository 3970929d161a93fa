import type { Dashboard, Panel, RowPanel } from '@grafana/schema';

// List every panel of a dashboard, the panels inside collapsed rows included.
export function allPanels(dashboard: Dashboard): Array<Panel | RowPanel> {
  const panels: Array<Panel | RowPanel> = [];
  for (const panel of dashboard.panels ?? []) {
    panels.push(panel);
    if (panel.type === 'row') panels.push(...((panel as RowPanel).panels ?? []));
  }
  return panels;
}

// Collect every value under `key` anywhere in a JSON tree.
export function valuesOfKey(tree: unknown, key: string): unknown[] {
  const found: unknown[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === 'object') {
      for (const [name, value] of Object.entries(node)) {
        if (name === key) found.push(value);
        visit(value);
      }
    }
  };
  visit(tree);
  return found;
}

// Collect every string anywhere in a JSON tree.
export function allStrings(tree: unknown): string[] {
  if (typeof tree === 'string') return [tree];
  if (Array.isArray(tree)) return tree.flatMap(allStrings);
  if (tree !== null && typeof tree === 'object') return Object.values(tree).flatMap(allStrings);
  return [];
}
