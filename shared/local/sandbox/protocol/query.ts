import type { ServerResponse } from "node:http";
import type { SandboxError } from "../errors.ts";

/**
 * AWS query and EC2 query framing: form-encoded requests, XML responses. The two differ
 * in small ways the SDK depends on: query wraps results in `<ActionResult>` and lists in
 * `<member>`; EC2 has no wrapper, lowerCamel names, `<item>` lists and its own error shape.
 */
export type FormParams = URLSearchParams;

export function parseForm(body: string): FormParams {
  return new URLSearchParams(body);
}

/** `Prefix.1`, `Prefix.2`, … until the first gap (EC2 flattens lists this way). */
export function indexedList(params: FormParams, prefix: string): string[] {
  const out: string[] = [];
  for (let i = 1; ; i++) {
    const v = params.get(`${prefix}.${i}`);
    if (v === null) return out;
    out.push(v);
  }
}

export interface FormFilter {
  name: string;
  values: string[];
}

/** EC2's `Filter.N.Name` / `Filter.N.Value.M`. */
export function ec2Filters(params: FormParams): FormFilter[] {
  const out: FormFilter[] = [];
  for (let i = 1; ; i++) {
    const name = params.get(`Filter.${i}.Name`);
    if (name === null) return out;
    out.push({ name, values: indexedList(params, `Filter.${i}.Value`) });
  }
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Serialises a handler's output: arrays become `<name><item>…</item></name>`. */
export function toXml(name: string, value: unknown, itemName: string): string {
  if (value === undefined || value === null) return "";
  if (value instanceof Date) return `<${name}>${value.toISOString()}</${name}>`;
  if (Array.isArray(value)) {
    return `<${name}>${value.map((v) => toXml(itemName, v, itemName)).join("")}</${name}>`;
  }
  if (typeof value === "object") {
    const inner = Object.entries(value)
      .map(([k, v]) => toXml(k, v, itemName))
      .join("");
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

function children(output: unknown, itemName: string): string {
  if (output === null || typeof output !== "object") return "";
  return Object.entries(output)
    .map(([k, v]) => toXml(k, v, itemName))
    .join("");
}

function send(res: ServerResponse, status: number, requestId: string, xml: string): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n${xml}`;
  res.writeHead(status, {
    "content-type": "text/xml",
    "x-amzn-requestid": requestId,
    "content-length": Buffer.byteLength(body),
  });
  res.end(body);
}

export function writeQuery(
  res: ServerResponse,
  action: string,
  xmlNamespace: string,
  requestId: string,
  output: unknown,
): void {
  send(
    res,
    200,
    requestId,
    `<${action}Response xmlns="${xmlNamespace}"><${action}Result>${children(output, "member")}</${action}Result>` +
      `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
  );
}

export function writeQueryError(
  res: ServerResponse,
  xmlNamespace: string,
  requestId: string,
  error: SandboxError,
): void {
  send(
    res,
    error.status,
    requestId,
    `<ErrorResponse xmlns="${xmlNamespace}"><Error><Type>${error.blame}</Type>` +
      `<Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
      `<RequestId>${requestId}</RequestId></ErrorResponse>`,
  );
}

export function writeEc2(
  res: ServerResponse,
  action: string,
  xmlNamespace: string,
  requestId: string,
  output: unknown,
): void {
  send(
    res,
    200,
    requestId,
    `<${action}Response xmlns="${xmlNamespace}"><requestId>${requestId}</requestId>` +
      `${children(output, "item")}</${action}Response>`,
  );
}

export function writeEc2Error(res: ServerResponse, requestId: string, error: SandboxError): void {
  send(
    res,
    error.status,
    requestId,
    `<Response><Errors><Error><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message>` +
      `</Error></Errors><RequestID>${requestId}</RequestID></Response>`,
  );
}
