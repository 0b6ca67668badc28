/**
 * A Slack conversation as one self-contained HTML page (no scripts, no external assets), laid
 * out like Slack: the app's messages with their blocks, buttons and menus, edits with their
 * earlier versions, thread replies, ephemerals, and the modals that were opened. Everything
 * that came from a message is HTML-escaped; links keep only http(s) and mailto URLs.
 */
import { emojify, type MrkdwnToken, PLACEHOLDER, parseMrkdwn } from "./mrkdwn-tokens.ts";
import type { RecordedMessage, RecordedView } from "./server.ts";
import { conversations, tsTime } from "./transcript.ts";

export interface HtmlTranscriptOptions {
  users?: ReadonlyArray<{ id: string; name: string }>;
  views?: readonly RecordedView[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

function safeUrl(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return ["http:", "https:", "mailto:"].includes(parsed.protocol) ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

function tokenHtml(t: MrkdwnToken, names: Map<string, string>): string {
  switch (t.kind) {
    case "user":
      return `<span class="mention">@${escapeHtml(names.get(t.id) ?? t.id)}</span>`;
    case "channel":
      return `<span class="mention">#${escapeHtml(t.name ?? t.id)}</span>`;
    case "special":
      return `<span class="mention">${escapeHtml(t.label)}</span>`;
    case "link": {
      const href = safeUrl(t.url);
      const label = escapeHtml(t.label ?? t.url);
      return href ? `<a href="${escapeHtml(href)}" rel="noopener noreferrer">${label}</a>` : label;
    }
  }
}

export function mrkdwnToHtml(text: string, names: Map<string, string> = new Map()): string {
  const { template, tokens } = parseMrkdwn(text);
  const literals: string[] = [];
  const keep = (html: string) => {
    literals.push(html);
    return `\uE001${literals.length - 1}\uE001`;
  };
  let html = escapeHtml(template)
    // Code first: nothing inside it is formatted.
    .replace(/```([\s\S]*?)```/g, (_, body: string) => keep(`<pre>${body}</pre>`))
    .replace(/`([^`\n]+)`/g, (_, body: string) => keep(`<code>${body}</code>`));
  html = emojify(html)
    .replace(/\*([^*\n]+)\*/g, "<b>$1</b>")
    .replace(/(^|[\s(])_([^_\n]+)_(?=$|[\s).,;:!?])/gm, "$1<i>$2</i>")
    .replace(/~([^~\n]+)~/g, "<s>$1</s>")
    .replace(/^&gt;\s?(.*)$/gm, '<span class="quote">$1</span>')
    .replace(/\n/g, "<br>");
  return html
    .replace(/\uE001(\d+)\uE001/g, (_, n: string) => literals[Number(n)] ?? "")
    .replace(PLACEHOLDER, (_, n: string) => {
      const token = tokens[Number(n)];
      return token ? tokenHtml(token, names) : "";
    });
}

function textObject(v: unknown, names: Map<string, string>): string {
  if (!isObject(v) || typeof v.text !== "string") return "";
  return v.type === "mrkdwn" ? mrkdwnToHtml(v.text, names) : escapeHtml(emojify(v.text));
}

function elementHtml(el: unknown, names: Map<string, string>): string {
  if (!isObject(el)) return "";
  const label = textObject(el.text, names);
  switch (el.type) {
    case "button": {
      const style = el.style === "primary" ? " primary" : el.style === "danger" ? " danger" : "";
      const href = typeof el.url === "string" ? safeUrl(el.url) : undefined;
      const confirm = isObject(el.confirm) ? ` title="asks: ${escapeHtml(plainOf(el.confirm.title))}"` : "";
      return href
        ? `<a class="button" href="${escapeHtml(href)}" rel="noopener noreferrer">${label} ↗</a>`
        : `<span class="button${style}"${confirm}>${label}</span>`;
    }
    case "static_select":
    case "overflow": {
      const options = Array.isArray(el.options) ? el.options : [];
      const items = options
        .map((o) => `<li>${textObject(isObject(o) ? o.text : undefined, names)}</li>`)
        .join("");
      const placeholder = textObject(el.placeholder, names) || "⋯";
      return `<span class="select">${placeholder} ▾<ul>${items}</ul></span>`;
    }
    case "plain_text_input":
      return `<span class="input">${textObject(el.placeholder, names)}</span>`;
    default:
      return `<span class="button">${escapeHtml(String(el.type))}</span>`;
  }
}

function plainOf(v: unknown): string {
  return isObject(v) && typeof v.text === "string" ? v.text : "";
}

export function blocksHtml(blocks: readonly unknown[], names: Map<string, string>): string {
  return blocks
    .map((block) => {
      if (!isObject(block)) return "";
      switch (block.type) {
        case "header":
          return `<div class="header">${textObject(block.text, names)}</div>`;
        case "section": {
          const text = block.text ? `<div class="text">${textObject(block.text, names)}</div>` : "";
          const fields = Array.isArray(block.fields)
            ? `<div class="fields">${block.fields.map((f) => `<div>${textObject(f, names)}</div>`).join("")}</div>`
            : "";
          const accessory = block.accessory
            ? `<div class="actions">${elementHtml(block.accessory, names)}</div>`
            : "";
          return `<div class="section">${text}${fields}${accessory}</div>`;
        }
        case "context": {
          const elements = Array.isArray(block.elements) ? block.elements : [];
          return `<div class="context">${elements.map((e) => textObject(e, names)).join(" ")}</div>`;
        }
        case "actions": {
          const elements = Array.isArray(block.elements) ? block.elements : [];
          return `<div class="actions">${elements.map((e) => elementHtml(e, names)).join("")}</div>`;
        }
        case "input":
          return `<div class="section"><div class="text"><b>${textObject(block.label, names)}</b></div>${elementHtml(block.element, names)}</div>`;
        case "divider":
          return "<hr>";
        default:
          return `<div class="context">(${escapeHtml(String(block.type))} block)</div>`;
      }
    })
    .join("\n");
}

function messageHtml(m: RecordedMessage, names: Map<string, string>): string {
  const body =
    m.blocks.length > 0
      ? blocksHtml(m.blocks, names)
      : `<div class="text">${mrkdwnToHtml(m.text, names)}</div>`;
  const ephemeral = m.ephemeralTo
    ? `<div class="ephemeral">👁 Only visible to @${escapeHtml(names.get(m.ephemeralTo) ?? m.ephemeralTo)}</div>`
    : "";
  const edited = m.editedTs ? ` <span class="edited">(edited ${escapeHtml(tsTime(m.editedTs))})</span>` : "";
  const history =
    m.history.length > 0
      ? `<details class="history"><summary>${m.history.length} earlier version${m.history.length === 1 ? "" : "s"}</summary>${m.history
          .map(
            (v) =>
              `<div class="version"><div class="time">${escapeHtml(tsTime(v.ts))}</div>${blocksHtml(v.blocks, names)}</div>`,
          )
          .join("")}</details>`
      : "";
  return `<div class="message${m.ephemeralTo ? " is-ephemeral" : ""}">
<div class="avatar">MJ</div>
<div class="content">${ephemeral}
<div class="meta"><span class="name">ml-janitor</span><span class="app">APP</span><span class="time">${escapeHtml(tsTime(m.ts))}</span>${edited}</div>
${body}
${history}
</div>
</div>`;
}

function viewHtml(v: RecordedView, names: Map<string, string>): string {
  const blocks = Array.isArray(v.view.blocks) ? v.view.blocks : [];
  const submit = textObject(v.view.submit, names);
  const close = textObject(v.view.close, names);
  return `<div class="modal">
<div class="modal-title">${textObject(v.view.title, names)}<span class="time">${escapeHtml(tsTime(v.ts))}</span></div>
${blocksHtml(blocks, names)}
<div class="modal-buttons">${close ? `<span class="button">${close}</span>` : ""}${submit ? `<span class="button primary">${submit}</span>` : ""}</div>
</div>`;
}

const CSS = `
body{margin:0;font:15px/1.46668 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1d1c1d;background:#f8f8f8}
main{max-width:860px;margin:0 auto;background:#fff;min-height:100vh;box-shadow:0 0 0 1px #ddd}
h1{margin:0;padding:14px 20px;font-size:18px;background:#3f0e40;color:#fff}
h2{margin:0;padding:10px 20px;font-size:15px;border-bottom:1px solid #ddd;background:#fafafa}
.message{display:flex;gap:8px;padding:8px 20px}
.message:hover{background:#f8f8f8}
.avatar{flex:0 0 36px;height:36px;border-radius:6px;background:#2eb67d;color:#fff;font-weight:700;font-size:13px;display:flex;align-items:center;justify-content:center}
.content{flex:1;min-width:0}
.meta{display:flex;gap:6px;align-items:baseline}
.name{font-weight:900}.app{font-size:10px;background:#e8e8e8;color:#616061;padding:0 3px;border-radius:2px;font-weight:700}
.time,.edited{font-size:12px;color:#616061}
.header{font-size:18px;font-weight:900;margin:4px 0}
.section{margin:4px 0}
.fields{display:grid;grid-template-columns:1fr 1fr;gap:8px 16px;margin:8px 0}
.context{font-size:12px;color:#616061;margin:4px 0}
.actions{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0}
.button{display:inline-block;border:1px solid #bbb;border-radius:4px;padding:3px 12px;font-weight:700;font-size:13px;color:#1d1c1d;text-decoration:none;background:#fff}
.button.primary{background:#007a5a;border-color:#007a5a;color:#fff}
.button.danger{color:#e01e5a;border-color:#e01e5a}
.select{display:inline-block;border:1px solid #bbb;border-radius:4px;padding:3px 12px;font-size:13px;position:relative}
.select ul{margin:4px 0 0;padding:0 0 0 16px;font-size:12px;color:#616061}
.input{display:block;border:1px solid #bbb;border-radius:4px;padding:6px 8px;min-height:48px;color:#999;font-size:13px}
code{font:12px Monaco,Menlo,Consolas,monospace;background:#f6f6f6;border:1px solid #e8e8e8;border-radius:3px;padding:1px 3px;color:#e01e5a}
pre{font:12px Monaco,Menlo,Consolas,monospace;background:#f6f6f6;border:1px solid #e8e8e8;border-radius:4px;padding:8px;white-space:pre-wrap}
.quote{display:block;border-left:4px solid #ddd;padding-left:10px;color:#444}
.mention{background:#e8f5fa;color:#1264a3;border-radius:3px;padding:0 2px}
a{color:#1264a3}
.thread{margin:0 20px 8px 64px;border-left:2px solid #e8e8e8}
.thread .message{padding-left:12px}
.replies{font-size:12px;color:#1264a3;font-weight:700;margin:0 20px 0 64px}
.is-ephemeral{background:#fffbe6}
.ephemeral{font-size:12px;color:#616061}
details.history{font-size:12px;color:#616061;margin-top:4px}
details.history .version{border-left:2px solid #ddd;margin:6px 0;padding-left:8px;opacity:.75}
.modal{margin:16px 20px;border:1px solid #ddd;border-radius:8px;padding:12px 16px;box-shadow:0 4px 12px rgba(0,0,0,.08)}
.modal-title{font-weight:900;font-size:18px;display:flex;justify-content:space-between}
.modal-buttons{display:flex;gap:8px;justify-content:flex-end;margin-top:12px}
`;

export function renderTranscriptHtml(
  messages: readonly RecordedMessage[],
  title: string,
  options: HtmlTranscriptOptions = {},
): string {
  const names = new Map((options.users ?? []).map((u) => [u.id, u.name]));
  const sections = conversations(messages).map((c) => {
    const heading = c.channelName.startsWith("@") ? `Direct message · ${c.channelName}` : c.channelName;
    const threads = c.threads
      .map(({ message, replies }) => {
        const thread =
          replies.length > 0
            ? `<div class="replies">${replies.length} ${replies.length === 1 ? "reply" : "replies"}</div><div class="thread">${replies
                .map((r) => messageHtml(r, names))
                .join("\n")}</div>`
            : "";
        return `${messageHtml(message, names)}\n${thread}`;
      })
      .join("\n");
    return `<section><h2>${escapeHtml(heading)}</h2>\n${threads}</section>`;
  });
  const modals =
    options.views && options.views.length > 0
      ? `<section><h2>Modals opened</h2>${options.views.map((v) => viewHtml(v, names)).join("\n")}</section>`
      : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${sections.join("\n")}
${modals}
</main>
</body>
</html>
`;
}
