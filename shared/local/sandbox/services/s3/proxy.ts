/**
 * Forwards an S3 request to the object store behind the sandbox (s3rver) and streams the answer
 * back: bodies flow both ways without buffering (a 50 MiB model upload stays a stream), headers
 * are kept but for hop-by-hop ones. s3rver knows one access key, `S3RVER`, and does not check
 * SigV4 signatures, so the credential's key id is rewritten and any sandbox credentials work.
 * Virtual-hosted requests are forwarded path-style (s3rver runs without vhost buckets).
 */
import { type IncomingMessage, request, type ServerResponse } from "node:http";
import type { S3Request } from "./operation.ts";

const UPSTREAM_KEY = "S3RVER";
const HOP_BY_HOP = new Set(["connection", "keep-alive", "expect", "proxy-connection", "upgrade", "host"]);

export function upstreamAuthorization(value: string): string {
  return value.replace(/Credential=[^/,\s]+\//, `Credential=${UPSTREAM_KEY}/`);
}

function upstreamPath(pathAndQuery: string): string {
  // Presigned URLs carry the credential in the query string.
  return pathAndQuery.replace(/([?&]X-Amz-Credential=)[^%&/]+(%2F|\/)/i, `$1${UPSTREAM_KEY}$2`);
}

/**
 * Resolves with the upstream status once the answer is fully relayed. A connection failure
 * before any answer rejects (the caller answers with an S3 error); after, the socket is cut.
 */
export function proxyS3(
  req: IncomingMessage,
  res: ServerResponse,
  s3: S3Request,
  upstream: string,
): Promise<number> {
  const target = new URL(upstream);
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    headers[name] =
      name === "authorization" && typeof value === "string" ? upstreamAuthorization(value) : value;
  }
  headers.host = target.host;
  return new Promise((resolve, reject) => {
    const out = request(
      {
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: upstreamPath(s3.pathAndQuery),
        headers,
      },
      (answer) => {
        const status = answer.statusCode ?? 502;
        const kept: string[] = [];
        for (let i = 0; i < answer.rawHeaders.length; i += 2) {
          const name = answer.rawHeaders[i]!;
          if (!HOP_BY_HOP.has(name.toLowerCase())) kept.push(name, answer.rawHeaders[i + 1]!);
        }
        res.writeHead(status, kept);
        answer.pipe(res);
        answer.on("end", () => resolve(status));
        answer.on("error", (err) => {
          res.destroy(err);
          resolve(status);
        });
      },
    );
    out.on("error", (err) => {
      if (res.headersSent) {
        res.destroy(err);
        resolve(502);
      } else reject(err);
    });
    req.pipe(out);
  });
}
