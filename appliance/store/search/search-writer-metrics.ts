import { Counter, type Registry } from 'prom-client';

/** Counters of the document writer, registered on the appliance registry when one is given. */
export interface SearchWriterMetrics {
  stored: Counter<'kind'>;
  alreadyStored: Counter<'kind'>;
  rejected: Counter<'kind' | 'reason'>;
  retries: Counter<'kind'>;
}

export function createSearchWriterMetrics(registry?: Registry): SearchWriterMetrics {
  const registers = registry ? [registry] : [];
  return {
    stored: new Counter({
      name: 'vigil_documents_stored_total',
      help: 'Documents the document store created, by kind (events, results, alerts).',
      labelNames: ['kind'],
      registers,
    }),
    alreadyStored: new Counter({
      name: 'vigil_documents_already_stored_total',
      help: 'Documents that returned 409 because an earlier send stored them, so none is doubled.',
      labelNames: ['kind'],
      registers,
    }),
    rejected: new Counter({
      name: 'vigil_documents_rejected_total',
      help: 'Documents the store rejected with a 4xx other than 409 or 429; logged one by one.',
      labelNames: ['kind', 'reason'],
      registers,
    }),
    retries: new Counter({
      name: 'vigil_documents_retried_total',
      help: 'Documents sent again after a refused connection, a 5xx or a 429.',
      labelNames: ['kind'],
      registers,
    }),
  };
}
