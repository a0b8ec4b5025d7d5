import type { FindingSummary } from './summary.js';

/**
 * Escapes text for Slack mrkdwn: `&`, `<`, `>` become entities, so no text can form a link,
 * a mention (`<!channel>`, `<@U…>`) or a tag. Formatting characters are left alone (Slack
 * has no escape for them) but cannot inject anything.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

const LEVEL_EMOJI: Record<string, string> = {
  critical: ':red_circle:',
  high: ':large_orange_circle:',
  medium: ':large_yellow_circle:',
  low: ':large_blue_circle:',
  informational: ':white_circle:',
};

/** A Slack incoming-webhook message: a fallback text and readable blocks. */
export function slackMessage(s: FindingSummary, route: string): Record<string, unknown> {
  const fields = [
    `*Risk*\n${s.riskScore} (${s.riskLevel})`,
    `*Entity*\n${escapeMrkdwn(s.entity)}`,
    `*IP*\n\`${escapeMrkdwn(s.ip)}\``,
    `*Where*\n${escapeMrkdwn([s.country, s.asn].filter(Boolean).join(' · ') || 'unknown')}`,
  ];
  const details = [
    ...s.reasons.map((r) => `• ${escapeMrkdwn(r)}`),
    ...(s.guardDuty.length > 0 ? [`*GuardDuty:* ${escapeMrkdwn(s.guardDuty.join(', '))}`] : []),
    ...(s.reputation.length > 0 ? [`*Reputation:* ${escapeMrkdwn(s.reputation.join(', '))}`] : []),
  ];
  return {
    text: clip(`[${s.riskLevel}] ${escapeMrkdwn(s.title)}`, 3000),
    blocks: [
      {
        type: 'header',
        text: { type: 'plain_text', text: clip(s.title, 150), emoji: false },
      },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `${LEVEL_EMOJI[s.riskLevel] ?? ''} *${s.riskLevel.toUpperCase()}* finding \`${escapeMrkdwn(s.findingId)}\``,
        },
        fields: fields.map((text) => ({ type: 'mrkdwn', text: clip(text, 2000) })),
      },
      ...(details.length > 0
        ? [{ type: 'section', text: { type: 'mrkdwn', text: clip(details.join('\n'), 3000) } }]
        : []),
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: clip(
              `route ${escapeMrkdwn(route)} · tags ${escapeMrkdwn(s.tags.join(', ') || 'none')} · ${s.time.toISOString()}`,
              2000,
            ),
          },
        ],
      },
    ],
  };
}
