/**
 * Labelsets of alert instances and result series: how they are built, keyed and fingerprinted.
 */

export type Labels = Record<string, string>;

/**
 * Builds the labels of an alert instance as Prometheus does: the output labels, then the rule's
 * labels (which win on a clash), then `alertname` (which always wins).
 */
export function alertLabels(alertname: string, ruleLabels: Labels, outputLabels: Labels): Labels {
  return sortLabels({ ...outputLabels, ...ruleLabels, alertname });
}

/** Returns a copy of the labels with the names in code-point order, for stable keys and output. */
export function sortLabels(labels: Labels): Labels {
  const sorted: Labels = {};
  for (const name of Object.keys(labels).sort()) sorted[name] = labels[name] as string;
  return sorted;
}

/** Formats labels as `{a="1",b="2"}`, names sorted, values JSON-escaped. */
export function formatLabels(labels: Labels): string {
  const pairs = Object.keys(labels)
    .sort()
    .map((name) => `${name}=${JSON.stringify(labels[name])}`);
  return `{${pairs.join(',')}}`;
}

/** Returns the stable key of an alert instance: `group/rule{labels}`. */
export function alertKey(group: string, rule: string, labels: Labels): string {
  return `${group}/${rule}${formatLabels(labels)}`;
}

const FNV_OFFSET_BASIS = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = 0xffffffffffffffffn;
const SEPARATOR = 0xff;

/**
 * Returns the fingerprint of a labelset as Prometheus' `model.LabelSet.Fingerprint` computes it
 * (prometheus/common, `labelSetToFingerprint`): 64-bit FNV-1a over each name and value in name
 * order, each followed by the byte 0xff, printed as 16 hex digits as Alertmanager does.
 */
export function fingerprint(labels: Labels): string {
  const encoder = new TextEncoder();
  let hash = FNV_OFFSET_BASIS;

  const add = (bytes: Uint8Array): void => {
    for (const byte of bytes) hash = ((hash ^ BigInt(byte)) * FNV_PRIME) & MASK_64;
    hash = ((hash ^ BigInt(SEPARATOR)) * FNV_PRIME) & MASK_64;
  };
  for (const name of Object.keys(labels).sort()) {
    add(encoder.encode(name));
    add(encoder.encode(labels[name]));
  }

  return hash.toString(16).padStart(16, '0');
}
