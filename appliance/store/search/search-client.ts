import { Client } from '@elastic/elasticsearch';
import { Transport, type TransportOptions } from '@elastic/transport';

/** The server kind of the document store; both serve the REST API calls that Vigil makes. */
export type SearchFlavor = 'elasticsearch' | 'opensearch';

export interface SearchClientOptions {
  flavor: SearchFlavor;
  url: string;
  /** Per request, ms. Default 30,000. */
  requestTimeoutMs?: number;
  /** Transport retries of one request on a connection error or 502/503/504. Default 3. */
  maxRetries?: number;
}

/**
 * A transport for OpenSearch. The 8.x client hands its Transport `productCheck: 'Elasticsearch'`,
 * which refuses any 2xx without `x-elastic-product: Elasticsearch` (OpenSearch sends none), and
 * vendored `compatible-with=8` media types, which OpenSearch does not accept. This subclass drops
 * the check and sends plain JSON; it is used for the `opensearch` flavor only.
 */
export class OpenSearchTransport extends Transport {
  constructor(options: TransportOptions) {
    super({
      ...options,
      productCheck: undefined,
      vendoredHeaders: {
        jsonContentType: 'application/json',
        ndjsonContentType: 'application/x-ndjson',
        accept: 'application/json',
      },
    });
  }
}

/** Creates the client; Elasticsearch keeps the client's own product check and headers. */
export function createSearchClient(options: SearchClientOptions): Client {
  const base = {
    node: options.url,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    maxRetries: options.maxRetries ?? 3,
  };
  if (options.flavor === 'opensearch')
    return new Client({ ...base, Transport: OpenSearchTransport });
  return new Client(base);
}
