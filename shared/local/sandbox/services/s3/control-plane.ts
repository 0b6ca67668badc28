/**
 * What a control-plane handler is: S3 calls the sandbox answers itself from the scenario model
 * (s3rver has no lifecycle, multipart listing, bucket tagging or versioning). Handlers return
 * the status, headers and XML; errors are thrown as `S3Error`s.
 */
import type { SandboxContext } from "../../service.ts";
import type { SbS3Bucket } from "../../types.ts";
import type { S3Request } from "./operation.ts";
import { noSuchBucket } from "./s3-error.ts";

export interface S3Reply {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

export type ControlPlaneHandler = (
  req: S3Request,
  ctx: SandboxContext,
  body: () => Promise<string>,
) => S3Reply | Promise<S3Reply>;

/** The scenario's bucket the request names; NoSuchBucket for any other. */
export function scenarioBucket(req: S3Request, ctx: SandboxContext): SbS3Bucket {
  const name = req.bucket ?? "";
  const bucket = ctx.scenario.s3.buckets.find((b) => b.name === name);
  if (!bucket) throw noSuchBucket(name);
  return bucket;
}

/** The canonical user S3 reports as owner and initiator: derived from the account, stable. */
export function canonicalOwner(ctx: SandboxContext): string {
  return Buffer.from(`sandbox-owner-${ctx.scenario.accountId}`).toString("hex").padEnd(64, "0").slice(0, 64);
}
