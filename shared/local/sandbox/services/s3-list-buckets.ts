/**
 * S3's ListBuckets (REST-XML, `GET /`), so a scan pointed at the sandbox with AWS_ENDPOINT_URL
 * alone can list the scenario's buckets. Object storage itself is s3rver's job
 * (AWS_ENDPOINT_URL_S3 in the local runtime); this answers only the account-level listing.
 */
import type { ServerResponse } from "node:http";
import type { SandboxContext } from "../service.ts";

function xmlEscape(text: string): string {
  return text.replace(
    /[<>&'"]/g,
    (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" })[c]!,
  );
}

/** Answers `GET /?max-buckets=…&continuation-token=…&bucket-region=…` like S3 does. */
export function listBuckets(url: URL, ctx: SandboxContext, res: ServerResponse, requestId: string): void {
  const max = Math.min(10_000, Number(url.searchParams.get("max-buckets") ?? 10_000) || 10_000);
  const region = url.searchParams.get("bucket-region");
  const after = url.searchParams.get("continuation-token");
  const all = [...ctx.scenario.s3.buckets]
    .filter(() => !region || region === ctx.scenario.region)
    .sort((a, b) => a.name.localeCompare(b.name))
    .filter((b) => !after || b.name > after);
  const page = all.slice(0, max);
  const more = all.length > page.length;
  const buckets = page
    .map(
      (b) =>
        `<Bucket><Name>${xmlEscape(b.name)}</Name><CreationDate>${new Date(b.creationTime).toISOString()}</CreationDate>` +
        `<BucketRegion>${ctx.scenario.region}</BucketRegion></Bucket>`,
    )
    .join("");
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
    `<Owner><ID>${ctx.scenario.accountId}</ID></Owner><Buckets>${buckets}</Buckets>` +
    (more ? `<ContinuationToken>${xmlEscape(page.at(-1)!.name)}</ContinuationToken>` : "") +
    `</ListAllMyBucketsResult>`;
  res.writeHead(200, { "content-type": "application/xml", "x-amz-request-id": requestId });
  res.end(body);
}
