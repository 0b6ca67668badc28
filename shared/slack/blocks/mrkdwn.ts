/**
 * Text objects and Slack's escaping rules. Anything that did not come from us (resource ids,
 * tag values, a person's keep reason) goes through `escapeMrkdwn`, so a reason reading
 * `<!channel>` stays text instead of pinging a channel.
 */
import type { MrkdwnElement, PlainTextElement } from "@slack/types";

/** Slack's limits we write against (characters). */
export const LIMITS = {
  sectionText: 3000,
  field: 2000,
  header: 150,
  buttonText: 75,
  optionText: 75,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  contextText: 2000,
  modalTitle: 24,
  fallbackText: 3000,
} as const;

export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function plain(text: string, max: number = LIMITS.sectionText): PlainTextElement {
  return { type: "plain_text", text: truncate(text, max), emoji: true };
}

export function md(text: string, max: number = LIMITS.sectionText): MrkdwnElement {
  return { type: "mrkdwn", text: truncate(text, max) };
}

/** Inline code, with the backticks a resource id might contain removed (they would end the span). */
export function code(text: string): string {
  return `\`${escapeMrkdwn(text.replace(/`/g, "'"))}\``;
}

/** `<@U123>` for Slack user ids, the text itself (escaped) for anything else, e.g. "janitor". */
export function mentionOrName(actor: string): string {
  return /^[UW][A-Z0-9]{2,}$/.test(actor) ? `<@${actor}>` : escapeMrkdwn(actor);
}
