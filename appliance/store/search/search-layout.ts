import { createHash } from 'node:crypto';
import type { PredictionEvent } from '../../core/types.ts';
import type { AlertHistoryEntry } from '../../alerting/alert.ts';
import type { StoredResult } from '../store.ts';

/** The three document kinds; each is one data stream named `vigil-<kind>`. */
export const DOCUMENT_KINDS = ['events', 'results', 'alerts'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** A document with the id it is created under; the same input always gives the same id. */
export interface SearchDocument {
  id: string;
  body: Record<string, unknown>;
}

export function dataStreamName(kind: DocumentKind, prefix = 'vigil'): string {
  return `${prefix}-${kind}`;
}

/**
 * Returns a bounded, deterministic `_id`: SHA-256 of the parts joined by NUL, base64url (43 chars).
 * Deterministic ids make a resent document a 409 instead of a second copy.
 */
export function documentId(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('base64url');
}

/** Labels as `k=v` pairs in key order, so the same labelset gives the same id. */
function labelKey(labels: Record<string, string>): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',');
}

/** Features are kept in `_source` only (not indexed), so free-form names cannot grow the mapping. */
export function eventDocument(event: PredictionEvent): SearchDocument {
  return {
    id: documentId('event', event.stream, event.id),
    body: {
      '@timestamp': new Date(event.timestamp).toISOString(),
      stream: event.stream,
      version: event.version,
      event_id: event.id,
      features: { ...event.features },
      prediction: event.prediction,
      actual: event.actual,
      latency_ms: event.latencyMs,
      error: event.error,
    },
  };
}

export function resultDocument(result: StoredResult): SearchDocument {
  const labels = labelKey(result.labels);
  return {
    id: documentId('result', String(result.timestamp), result.rule, result.evaluator, labels),
    body: {
      '@timestamp': new Date(result.timestamp).toISOString(),
      rule: result.rule,
      group: result.group,
      evaluator: result.evaluator,
      labels: result.labels,
      values: result.values,
      convention: result.convention,
      ...(result.reason === undefined ? {} : { reason: result.reason }),
    },
  };
}

export function alertDocument(entry: AlertHistoryEntry): SearchDocument {
  return {
    id: documentId('alert', String(entry.timestamp), entry.key, entry.transition),
    body: {
      '@timestamp': new Date(entry.timestamp).toISOString(),
      key: entry.key,
      group: entry.group,
      rule: entry.rule,
      transition: entry.transition,
      labels: entry.labels,
      annotations: entry.annotations,
      value: entry.value,
    },
  };
}

/** Mappings per kind. Strings default to keyword, so labels are searchable by exact value. */
export function mappingFor(kind: DocumentKind): Record<string, unknown> {
  const common = {
    dynamic_templates: [
      // A value first written as 3 must not map as long and truncate a later 2.5.
      { values: { path_match: 'values.*', mapping: { type: 'double' } } },
      { strings: { match_mapping_type: 'string', mapping: { type: 'keyword' } } },
    ],
  };
  const properties: Record<DocumentKind, Record<string, unknown>> = {
    events: {
      '@timestamp': { type: 'date' },
      stream: { type: 'keyword' },
      version: { type: 'keyword' },
      event_id: { type: 'keyword' },
      features: { type: 'object', enabled: false },
      prediction: { type: 'keyword' },
      actual: { type: 'keyword' },
      latency_ms: { type: 'double' },
      error: { type: 'boolean' },
    },
    results: {
      '@timestamp': { type: 'date' },
      rule: { type: 'keyword' },
      group: { type: 'keyword' },
      evaluator: { type: 'keyword' },
      values: { type: 'object', dynamic: true },
      convention: { type: 'object', enabled: false },
      reason: { type: 'text' },
    },
    alerts: {
      '@timestamp': { type: 'date' },
      key: { type: 'keyword' },
      rule: { type: 'keyword' },
      transition: { type: 'keyword' },
      annotations: { type: 'object', enabled: false },
      value: { type: 'double' },
    },
  };
  return { ...common, properties: properties[kind] };
}
