import type { RouteConfig } from '../config/config.ts';
import { formatMatchers, matchesAll, parseMatchers, type Matcher } from './matchers.ts';

/** Alertmanager's defaults for a configured route tree, ms. */
export const ROUTE_DEFAULTS = {
  groupWaitMs: 30_000,
  groupIntervalMs: 300_000,
  repeatIntervalMs: 4 * 3_600_000,
} as const;

/** A node of the routing tree with every inherited field resolved. */
export interface Route {
  /** Alertmanager's route key, such as `{}/{severity="critical"}`; part of every group key. */
  key: string;
  receiver: string;
  /** Label names of the group key; `all` groups by every label (`group_by: ['...']`). */
  groupBy: string[] | 'all';
  matchers: Matcher[];
  continue: boolean;
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
  muteTimeIntervals: string[];
  activeTimeIntervals: string[];
  routes: Route[];
}

/**
 * Builds the tree from configuration. A child inherits `receiver`, `group_by` and the three
 * timings of its parent, as in Alertmanager; matchers, `continue` and time intervals are its own.
 */
export function buildRoute(config: RouteConfig, parent?: Route): Route {
  const matchers = parseMatchers(config.matchers);
  const key = parent === undefined ? '{}' : `${parent.key}/${formatMatchers(matchers)}`;
  const groupBy = config.groupBy ?? (parent ? parent.groupBy : []);

  const route: Route = {
    key,
    receiver: config.receiver ?? parent?.receiver ?? '',
    groupBy: Array.isArray(groupBy) && groupBy.includes('...') ? 'all' : groupBy,
    matchers,
    continue: config.continue,
    groupWaitMs: config.groupWaitMs ?? parent?.groupWaitMs ?? ROUTE_DEFAULTS.groupWaitMs,
    groupIntervalMs:
      config.groupIntervalMs ?? parent?.groupIntervalMs ?? ROUTE_DEFAULTS.groupIntervalMs,
    repeatIntervalMs:
      config.repeatIntervalMs ?? parent?.repeatIntervalMs ?? ROUTE_DEFAULTS.repeatIntervalMs,
    muteTimeIntervals: config.muteTimeIntervals,
    activeTimeIntervals: config.activeTimeIntervals,
    routes: [],
  };
  route.routes = config.routes.map((child) => buildRoute(child, route));
  return route;
}

/**
 * The routes that take an alert, as Alertmanager's depth-first match: a matching route hands
 * the alert to its first matching child (and to later siblings while a match has `continue`),
 * and takes it itself only when no child matched. The root matches every alert.
 */
export function matchRoutes(route: Route, labels: Record<string, string>, root = true): Route[] {
  if (!root && !matchesAll(route.matchers, labels)) return [];

  const taken: Route[] = [];
  for (const child of route.routes) {
    const matched = matchRoutes(child, labels, false);
    if (matched.length === 0) continue;
    taken.push(...matched);
    if (!child.continue) break;
  }
  return taken.length > 0 ? taken : [route];
}

/** The labels of an alert's group on `route`: the `group_by` labels the alert has. */
export function groupLabels(route: Route, labels: Record<string, string>): Record<string, string> {
  if (route.groupBy === 'all') return { ...labels };
  const picked: Record<string, string> = {};
  for (const name of route.groupBy) {
    const value = labels[name];
    if (value !== undefined && value !== '') picked[name] = value;
  }
  return picked;
}

/** Every route of the tree, root first. */
export function flattenRoutes(route: Route): Route[] {
  return [route, ...route.routes.flatMap(flattenRoutes)];
}
