import type { IncomingHttpHeaders } from "node:http";
import type { FormParams } from "./protocol/query.ts";
import type { JsonService, QueryService, ServiceDef } from "./service.ts";

/**
 * Which service a request is for. Every client reaches the same URL (AWS_ENDPOINT_URL),
 * so we route like AWS's front door would: awsJson by `X-Amz-Target`, form-encoded
 * requests by the SigV4 credential scope's service, falling back to the `Version` field.
 */
const isJson = (s: ServiceDef): s is JsonService =>
  s.protocol === "awsJson1_0" || s.protocol === "awsJson1_1";

export function routeJson(
  services: readonly ServiceDef[],
  target: string,
): { service: JsonService; operation: string } | undefined {
  const dot = target.lastIndexOf(".");
  const prefix = target.slice(0, dot);
  const operation = target.slice(dot + 1);
  const service = services.find((s): s is JsonService => isJson(s) && s.target === prefix);
  return service && { service, operation };
}

function signingName(headers: IncomingHttpHeaders): string | undefined {
  // Credential=AKID/20240101/us-east-1/sts/aws4_request
  return /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(headers.authorization ?? "")?.[1];
}

export function routeQuery(
  services: readonly ServiceDef[],
  headers: IncomingHttpHeaders,
  params: FormParams,
): QueryService | undefined {
  const query = services.filter((s): s is QueryService => !isJson(s));
  const scope = signingName(headers);
  const version = params.get("Version");
  return (
    query.find((s) => scope !== undefined && s.signingName === scope) ??
    query.find((s) => s.version === version)
  );
}
