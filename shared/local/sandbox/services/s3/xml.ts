/**
 * S3's REST-XML framing for the sandbox: escaping, small element builders, the `<Error>` shape
 * the SDK parses, and a minimal parser for the request bodies we accept (lifecycle
 * configurations). S3 bodies are plain elements and text — no attributes we read, no mixed
 * content — so a strict little parser is enough, and anything else is refused as MalformedXML.
 */
import type { ServerResponse } from "node:http";
import type { SandboxError } from "../../errors.ts";

export const S3_XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/";

const ESCAPES: Record<string, string> = {
  "<": "&lt;",
  ">": "&gt;",
  "&": "&amp;",
  "'": "&apos;",
  '"': "&quot;",
};

export function xmlEscape(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ESCAPES[c]!);
}

/** `<name>text</name>`, or nothing when the value is absent. */
export function el(name: string, value: string | number | boolean | undefined): string {
  return value === undefined ? "" : `<${name}>${xmlEscape(String(value))}</${name}>`;
}

/** The XML document of a successful answer. */
export function document(root: string, inner: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${S3_XMLNS}">${inner}</${root}>`;
}

/** An answer with an XML body, or with none (204s, PUTs). */
export function writeXml(
  res: ServerResponse,
  requestId: string,
  status: number,
  body: string | undefined,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...(body !== undefined && { "content-type": "application/xml" }),
    // A 204 carries no Content-Length at all (RFC 9110).
    ...(status !== 204 && { "content-length": body === undefined ? 0 : Buffer.byteLength(body) }),
    "x-amz-request-id": requestId,
    ...headers,
  });
  res.end(body);
}

/**
 * S3's error document. HEAD answers carry no body (the SDK names those errors from the status,
 * as it does against S3).
 */
export function writeS3Error(
  res: ServerResponse,
  requestId: string,
  err: SandboxError,
  method: string,
  extra: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.destroy(err);
    return;
  }
  const body =
    method === "HEAD"
      ? ""
      : `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${el("Code", err.code)}${el("Message", err.message)}` +
        Object.entries(extra)
          .map(([k, v]) => el(k, v))
          .join("") +
        `${el("RequestId", requestId)}${el("HostId", requestId)}</Error>`;
  res.writeHead(err.status, {
    "content-type": "application/xml",
    "content-length": Buffer.byteLength(body),
    "x-amz-request-id": requestId,
  });
  res.end(body);
}

/** One parsed element: its name, child elements in order, and its text (when it has no children). */
export interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", apos: "'", quot: '"' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|apos|quot);/g, (_, e: string) =>
    e.startsWith("#x")
      ? String.fromCodePoint(Number.parseInt(e.slice(2), 16))
      : e.startsWith("#")
        ? String.fromCodePoint(Number(e.slice(1)))
        : ENTITIES[e]!,
  );
}

/** Thrown for text that is not well-formed XML; callers answer MalformedXML. */
export class XmlSyntaxError extends Error {}

/** Parses a document into its root element; namespaces are kept off names (`xmlns` is ignored). */
export function parseXml(text: string): XmlElement {
  const src = text.replace(/^\uFEFF/, "").replace(/<\?xml[^?]*\?>/, "");
  const tag =
    /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|<!--[\s\S]*?-->/g;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let last = 0;
  for (let m = tag.exec(src); m !== null; m = tag.exec(src)) {
    const between = src.slice(last, m.index);
    last = tag.lastIndex;
    if (between.includes("<")) throw new XmlSyntaxError("stray '<'");
    const open = stack.at(-1);
    if (open) open.text += between;
    else if (between.trim() !== "") throw new XmlSyntaxError("text outside the root element");
    if (m[0].startsWith("<!--")) continue;
    const [, closing, name, , selfClosing] = m;
    if (closing) {
      if (open?.name !== name) throw new XmlSyntaxError(`unexpected </${name}>`);
      stack.pop();
      continue;
    }
    if (!open && root) throw new XmlSyntaxError("more than one root element");
    const element: XmlElement = { name: name!, children: [], text: "" };
    if (open) open.children.push(element);
    else root = element;
    if (!selfClosing) stack.push(element);
  }
  if (src.slice(last).trim() !== "") throw new XmlSyntaxError("text after the root element");
  if (!root || stack.length > 0) throw new XmlSyntaxError("unclosed or missing root element");
  const finish = (e: XmlElement): void => {
    if (e.children.length > 0) {
      if (e.text.trim() !== "") throw new XmlSyntaxError(`mixed content in <${e.name}>`);
      e.text = "";
      e.children.forEach(finish);
    } else e.text = decodeEntities(e.text);
  };
  finish(root);
  return root;
}
