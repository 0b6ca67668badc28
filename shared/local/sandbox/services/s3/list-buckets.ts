/**
 * S3's ListBuckets (`GET /`) from the scenario: the account's buckets with their scenario ages
 * (s3rver dates buckets by folder birth time). Buckets created or deleted through the sandbox
 * join or leave the scenario, so this listing and the object store agree.
 */
import { type ControlPlaneHandler, canonicalOwner } from "./control-plane.ts";
import { document, el } from "./xml.ts";

/** Answers `GET /?max-buckets=…&continuation-token=…&bucket-region=…&prefix=…` like S3 does. */
export const listBuckets: ControlPlaneHandler = (req, ctx) => {
  const q = req.query;
  const max = Math.min(10_000, Number(q.get("max-buckets") ?? 10_000) || 10_000);
  const region = q.get("bucket-region");
  const after = q.get("continuation-token");
  const prefix = q.get("prefix") ?? "";
  const all = [...ctx.scenario.s3.buckets]
    .filter((b) => (!region || region === ctx.scenario.region) && b.name.startsWith(prefix))
    .sort((a, b) => a.name.localeCompare(b.name))
    .filter((b) => !after || b.name > after);
  const page = all.slice(0, max);
  const more = all.length > page.length;
  const buckets = page
    .map(
      (b) =>
        `<Bucket>${el("Name", b.name)}${el("CreationDate", new Date(b.creationTime).toISOString())}` +
        `${el("BucketRegion", ctx.scenario.region)}</Bucket>`,
    )
    .join("");
  const body =
    `<Owner>${el("ID", canonicalOwner(ctx))}</Owner><Buckets>${buckets}</Buckets>` +
    (more ? el("ContinuationToken", page.at(-1)!.name) : "") +
    (prefix ? el("Prefix", prefix) : "");
  return { status: 200, body: document("ListAllMyBucketsResult", body) };
};
