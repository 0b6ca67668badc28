/**
 * A Slack conversation as terminal text: headers, sections, fields, context, buttons shown as
 * `[ Approve now ]`, menus as `[ Snooze… ▾ ]` with their choices, edits marked, thread replies
 * indented, ephemerals labelled, modals listed. For `janitor demo` and for reading test failures.
 */
import { emojify, type MrkdwnToken, PLACEHOLDER, parseMrkdwn } from "./mrkdwn-tokens.ts";
import type { RecordedMessage, RecordedView } from "./server.ts";
import { conversations, tsTime } from "./transcript.ts";

export interface TextTranscriptOptions {
  /** To show `<@U123>` as `@ana`. */
  users?: ReadonlyArray<{ id: string; name: string }>;
  /** Modals opened (views.open), listed after the conversations. */
  views?: readonly RecordedView[];
  /** ANSI bold for headers and names, dim for context lines. */
  color?: boolean;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

interface Style {
  bold(s: string): string;
  dim(s: string): string;
}

function styleFor(color: boolean): Style {
  return color
    ? { bold: (s) => `\u001b[1m${s}\u001b[22m`, dim: (s) => `\u001b[2m${s}\u001b[22m` }
    : { bold: (s) => s, dim: (s) => s };
}

function tokenText(t: MrkdwnToken, names: Map<string, string>): string {
  switch (t.kind) {
    case "user":
      return `@${names.get(t.id) ?? t.id}`;
    case "channel":
      return `#${t.name ?? t.id}`;
    case "special":
      return t.label;
    case "link":
      return t.label ? `${t.label} (${t.url})` : t.url;
  }
}

/** mrkdwn → plain text: markers dropped, mentions named, quotes drawn. */
export function mrkdwnToText(text: string, names: Map<string, string> = new Map()): string {
  const { template, tokens } = parseMrkdwn(text);
  const formatted = emojify(template)
    .replace(/```\n?([\s\S]*?)\n?```/g, "$1")
    .replace(/\*([^*\n]+)\*/g, "$1")
    .replace(/(^|[\s(])_([^_\n]+)_(?=$|[\s).,;:!?])/gm, "$1$2")
    .replace(/~([^~\n]+)~/g, "$1")
    .replace(/^>\s?/gm, "│ ");
  return formatted.replace(PLACEHOLDER, (_, n: string) => {
    const token = tokens[Number(n)];
    return token ? tokenText(token, names) : "";
  });
}

function textObject(v: unknown, names: Map<string, string>): string {
  if (!isObject(v) || typeof v.text !== "string") return "";
  return v.type === "mrkdwn" ? mrkdwnToText(v.text, names) : emojify(v.text);
}

function elementText(el: unknown, names: Map<string, string>): string {
  if (!isObject(el)) return "";
  const label = textObject(el.text, names);
  switch (el.type) {
    case "button":
      return typeof el.url === "string" ? `[ ${label} ↗ ]` : `[ ${label} ]`;
    case "static_select":
    case "overflow": {
      const options = Array.isArray(el.options)
        ? el.options.map((o) => textObject(isObject(o) ? o.text : undefined, names))
        : [];
      const placeholder = textObject(el.placeholder, names) || "⋯";
      return `[ ${placeholder} ▾ ${options.join(" | ")} ]`;
    }
    case "plain_text_input":
      return "[ ________________ ]";
    default:
      return `[ ${String(el.type)} ]`;
  }
}

/** A field "*What*\nSageMaker endpoint x" reads "What: SageMaker endpoint x". */
function fieldLine(field: unknown, names: Map<string, string>): string {
  const [label = "", ...rest] = textObject(field, names).split("\n");
  return rest.length > 0 ? `${label}: ${rest.join(" ")}` : label;
}

export function blocksToLines(
  blocks: readonly unknown[],
  names: Map<string, string>,
  style: Style,
): string[] {
  const lines: string[] = [];
  for (const block of blocks) {
    if (!isObject(block)) continue;
    switch (block.type) {
      case "header":
        lines.push(style.bold(textObject(block.text, names)));
        break;
      case "section":
        if (block.text) lines.push(...textObject(block.text, names).split("\n"));
        if (Array.isArray(block.fields)) lines.push(...block.fields.map((f) => fieldLine(f, names)));
        if (block.accessory) lines.push(elementText(block.accessory, names));
        break;
      case "context":
        if (Array.isArray(block.elements)) {
          lines.push(
            style.dim(
              block.elements
                .map((e) => textObject(e, names))
                .filter(Boolean)
                .join("  "),
            ),
          );
        }
        break;
      case "actions":
        if (Array.isArray(block.elements))
          lines.push(block.elements.map((e) => elementText(e, names)).join("  "));
        break;
      case "input":
        lines.push(`${textObject(block.label, names)}${block.optional === true ? " (optional)" : ""}`);
        lines.push(elementText(block.element, names));
        break;
      case "divider":
        lines.push("────────────────────────────────");
        break;
      default:
        lines.push(`(${String(block.type)} block)`);
    }
  }
  return lines;
}

function messageLines(m: RecordedMessage, names: Map<string, string>, style: Style): string[] {
  const who = style.bold("ml-janitor");
  const only = m.ephemeralTo
    ? `  ${style.dim(`only visible to @${names.get(m.ephemeralTo) ?? m.ephemeralTo}`)}`
    : "";
  const edited = m.editedTs ? `  ${style.dim(`(edited ${tsTime(m.editedTs)})`)}` : "";
  const body =
    m.blocks.length > 0 ? blocksToLines(m.blocks, names, style) : mrkdwnToText(m.text, names).split("\n");
  return [`${who}  ${style.dim(tsTime(m.ts))}${only}${edited}`, ...body.map((l) => `  ${l}`)];
}

function viewLines(v: RecordedView, names: Map<string, string>, style: Style): string[] {
  const title = textObject(v.view.title, names);
  const blocks = Array.isArray(v.view.blocks) ? v.view.blocks : [];
  const submit = textObject(v.view.submit, names);
  const close = textObject(v.view.close, names);
  return [
    `${style.bold(`▣ ${title}`)}  ${style.dim(tsTime(v.ts))}`,
    ...blocksToLines(blocks, names, style).map((l) => `  ${l}`),
    `  ${[close && `[ ${close} ]`, submit && `[ ${submit} ]`].filter(Boolean).join("  ")}`,
  ];
}

export function renderTranscriptText(
  messages: readonly RecordedMessage[],
  options: TextTranscriptOptions = {},
): string {
  const names = new Map((options.users ?? []).map((u) => [u.id, u.name]));
  const style = styleFor(options.color ?? false);
  const out: string[] = [];
  for (const c of conversations(messages)) {
    const title = c.channelName.startsWith("@") ? `DM ${c.channelName}` : c.channelName;
    out.push(style.bold(`━━ ${title} ${"━".repeat(Math.max(4, 60 - title.length))}`));
    for (const { message, replies } of c.threads) {
      out.push(...messageLines(message, names, style));
      if (replies.length > 0) {
        out.push(`  ${style.dim(`└ ${replies.length} ${replies.length === 1 ? "reply" : "replies"}`)}`);
        for (const r of replies) out.push(...messageLines(r, names, style).map((l) => `    │ ${l}`));
      }
      out.push("");
    }
  }
  if (options.views && options.views.length > 0) {
    out.push(style.bold(`━━ Modals ${"━".repeat(53)}`));
    for (const v of options.views) out.push(...viewLines(v, names, style), "");
  }
  return out.join("\n");
}
