import type { WebhookPayload } from './alertmanager-payload.ts';
import type { NotificationContext } from './dispatcher.ts';

/** Why an alert fired: the rule, the window it evaluated and the evaluator's output values. */
export interface Evidence {
  /** Evaluated window, epoch ms, [from, to). */
  window: { from: number; to: number };
  values: Record<string, number>;
}

/** The body a retraining trigger POSTs. */
export interface RetrainRequest {
  kind: 'retrain';
  /** Flush time, RFC 3339. */
  time: string;
  triggers: {
    rule: string;
    ruleGroup: string;
    labels: Record<string, string>;
    startsAt: string;
    window: { from: string; to: string } | null;
    values: Record<string, number | string> | null;
  }[];
}

/**
 * Encodes firing alerts as a retraining request with their evidence. A rule that triggered
 * less than `cooldownMs` ago (engine clock) is left out; with nothing left, nothing is sent.
 * Resolutions never trigger. Non-finite values are written as strings ("NaN", "Infinity").
 * NOTE: the cooldown is counted when the request is built, so a delivery that fails still
 * starts it; a retraining pipeline should not be triggered twice by retries.
 */
export function retrainEncoder(
  cooldownMs: number,
  evidence: (ruleGroup: string, rule: string, time: number) => Evidence | undefined,
) {
  const lastTriggered = new Map<string, number>();
  return (payload: WebhookPayload, context: NotificationContext): RetrainRequest | undefined => {
    const triggers: RetrainRequest['triggers'] = [];
    for (const alert of payload.alerts) {
      if (alert.status !== 'firing') continue;
      const ruleGroup = context.ruleGroups[alert.fingerprint] ?? '';
      const rule = alert.labels.alertname ?? '';
      const key = JSON.stringify([ruleGroup, rule]);
      const last = lastTriggered.get(key);
      if (last !== undefined && context.time - last < cooldownMs) continue;

      lastTriggered.set(key, context.time);
      const found = evidence(ruleGroup, rule, context.time);
      triggers.push({
        rule,
        ruleGroup,
        labels: alert.labels,
        startsAt: alert.startsAt,
        window: found
          ? {
              from: new Date(found.window.from).toISOString(),
              to: new Date(found.window.to).toISOString(),
            }
          : null,
        values: found ? finiteOrText(found.values) : null,
      });
    }
    if (triggers.length === 0) return undefined;
    return { kind: 'retrain', time: new Date(context.time).toISOString(), triggers };
  };
}

function finiteOrText(values: Record<string, number>): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const [name, value] of Object.entries(values)) {
    out[name] = Number.isFinite(value) ? value : String(value);
  }
  return out;
}
