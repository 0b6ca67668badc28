import type { ServerResponse } from "node:http";
import type { SandboxError } from "../errors.ts";
import { InputError } from "../errors.ts";
import type { Json, JsonObject } from "./input.ts";
import { isObject } from "./input.ts";

/**
 * awsJson 1.0/1.1 framing. Handlers return plain objects holding `Date`s; on the wire
 * timestamps are epoch seconds — an ISO string makes every SDK call fail to parse.
 */
export function toWire(value: unknown): Json | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map((v) => toWire(v) ?? null);
  if (typeof value === "object") {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) {
      const w = toWire(v);
      if (w !== undefined) out[k] = w;
    }
    return out;
  }
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  return String(value);
}

export function parseJsonBody(body: string): JsonObject {
  if (body.trim() === "") return {};
  let parsed: Json;
  try {
    parsed = JSON.parse(body) as Json;
  } catch {
    throw new InputError("The request body is not valid JSON.");
  }
  if (!isObject(parsed)) throw new InputError("The request body must be a JSON object.");
  return parsed;
}

export function writeJson(
  res: ServerResponse,
  version: "1.0" | "1.1",
  requestId: string,
  output: unknown,
): void {
  const body = JSON.stringify(toWire(output ?? {}) ?? {});
  res.writeHead(200, {
    "content-type": `application/x-amz-json-${version}`,
    "x-amzn-requestid": requestId,
    "content-length": Buffer.byteLength(body),
  });
  res.end(body);
}

/**
 * Errors: `__type` in the body and `x-amzn-errortype` in a header (clients read either).
 * Query-compatible services (CloudWatch) also send `x-amzn-query-error: Code;Sender`, which
 * the SDK prefers: it is how a JSON CloudWatch throttle still surfaces as `Throttling`.
 */
export function writeJsonError(
  res: ServerResponse,
  version: "1.0" | "1.1",
  requestId: string,
  error: SandboxError,
  queryCompatible: boolean,
): void {
  const type = error.jsonType ?? error.code;
  const body = JSON.stringify({ __type: type, message: error.message });
  const headers: Record<string, string | number> = {
    "content-type": `application/x-amz-json-${version}`,
    "x-amzn-requestid": requestId,
    "x-amzn-errortype": type,
    "content-length": Buffer.byteLength(body),
  };
  if (queryCompatible) headers["x-amzn-query-error"] = `${error.code};${error.blame}`;
  res.writeHead(error.status, headers);
  res.end(body);
}
