import type { WebhookPayload } from './alertmanager-payload.ts';

/** The body of a Slack-compatible incoming webhook. */
export interface SlackMessage {
  text: string;
  blocks: { type: 'section'; text: { type: 'mrkdwn'; text: string } }[];
}

/** Longest section text Slack accepts, characters. */
const SECTION_LIMIT = 3000;

/**
 * Encodes a notification for a Slack-compatible incoming webhook: `text` is the one-line
 * summary used by notifications and clients without blocks, such as
 * `[FIRING:2] Drift feature=temp`; one section block lists each alert with its summary.
 */
export function slackEncoder(payload: WebhookPayload): SlackMessage {
  const firing = payload.alerts.filter((alert) => alert.status === 'firing').length;
  const status = payload.status === 'firing' ? `FIRING:${firing}` : 'RESOLVED';
  const groups = Object.entries(payload.groupLabels).map(([name, value]) => `${name}=${value}`);
  const text = `[${status}] ${groups.join(' ')}`.trim();

  const lines = payload.alerts.map((alert) => {
    const summary = alert.annotations.summary ?? alert.annotations.description ?? '';
    const labels = Object.entries(alert.labels)
      .map(([name, value]) => `${name}=${value}`)
      .join(', ');
    return `• *${alert.status}* ${summary} (${labels})`;
  });
  const body = `*${text}*\n${lines.join('\n')}`.slice(0, SECTION_LIMIT);
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: body } }] };
}
