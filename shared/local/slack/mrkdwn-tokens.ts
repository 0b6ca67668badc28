/**
 * Slack mrkdwn, taken apart for the transcript renderers: the `<…>` constructs (mentions,
 * channel links, URLs, `<!here>`, dates) become numbered placeholders, the rest is unescaped
 * text in which *bold*, _italic_, `code` and :emoji: can then be rendered. Placeholders let
 * formatting span a mention (`*<@U1> approved*`) without breaking it.
 */

export type MrkdwnToken =
  | { kind: "user"; id: string }
  | { kind: "channel"; id: string; name?: string }
  | { kind: "link"; url: string; label?: string }
  | { kind: "special"; label: string };

export interface ParsedMrkdwn {
  /** Unescaped text with `\uE000N\uE000` where token N was. */
  template: string;
  tokens: MrkdwnToken[];
}

export const PLACEHOLDER = /\uE000(\d+)\uE000/g;

export function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

function token(inner: string): MrkdwnToken {
  const [target = "", label] = splitLabel(inner);
  if (target.startsWith("@")) return { kind: "user", id: target.slice(1) };
  if (target.startsWith("#"))
    return { kind: "channel", id: target.slice(1), ...(label ? { name: label } : {}) };
  if (target.startsWith("!")) {
    // <!here>, <!channel>, <!subteam^S123|@ops>, <!date^1700000000^{date}|fallback>
    if (label) return { kind: "special", label: unescapeSlack(label) };
    const name = target.slice(1).split("^")[0] ?? "";
    return { kind: "special", label: `@${name}` };
  }
  return { kind: "link", url: unescapeSlack(target), ...(label ? { label: unescapeSlack(label) } : {}) };
}

function splitLabel(inner: string): [string, string | undefined] {
  const bar = inner.indexOf("|");
  return bar < 0 ? [inner, undefined] : [inner.slice(0, bar), inner.slice(bar + 1)];
}

export function parseMrkdwn(text: string): ParsedMrkdwn {
  const tokens: MrkdwnToken[] = [];
  const template = text.replace(/<([^<>]+)>/g, (_, inner: string) => {
    tokens.push(token(inner));
    return `\uE000${tokens.length - 1}\uE000`;
  });
  return { template: unescapeSlack(template), tokens };
}

/** The emoji our messages use, for terminals and pages without Slack's emoji set. */
export const EMOJI: Record<string, string> = {
  white_check_mark: "✅",
  zzz: "💤",
  lock: "🔒",
  x: "❌",
  hourglass: "⌛",
  alarm_clock: "⏰",
  rotating_light: "🚨",
  recycle: "♻️",
  fast_forward: "⏩",
  leftwards_arrow_with_hook: "↩️",
  money_with_wings: "💸",
  warning: "⚠️",
  no_entry: "⛔",
  moneybag: "💰",
};

export function emojify(text: string): string {
  return text.replace(/:([a-z0-9_+-]+):/g, (whole, name: string) => EMOJI[name] ?? whole);
}
