/**
 * The sandbox's S3 front door. Every S3 REST request is named (`S3.<Operation>`), counted and
 * put through the knobs like any sandbox call; then the control-plane operations s3rver lacks
 * (lifecycle, multipart listing, bucket tagging, versioning, inventory configurations,
 * ListBuckets) are answered from the scenario, and everything else — objects — is proxied to
 * the s3rver upstream. Without an upstream those answer 501 NotImplemented.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody } from "../../../read-body.ts";
import { SandboxError } from "../../errors.ts";
import type { QueryService, SandboxContext } from "../../service.ts";
import {
  getBucketInventoryConfiguration,
  getBucketTagging,
  getBucketVersioning,
  listBucketInventoryConfigurations,
} from "./bucket-config.ts";
import type { ControlPlaneHandler } from "./control-plane.ts";
import { deleteBucketLifecycle, getBucketLifecycle, putBucketLifecycle } from "./lifecycle.ts";
import { listBuckets } from "./list-buckets.ts";
import { abortMultipartUpload, listMultipartUploads, listParts } from "./multipart.ts";
import { s3Request } from "./operation.ts";
import { proxyS3 } from "./proxy.ts";
import { S3Error } from "./s3-error.ts";
import { writeS3Error, writeXml } from "./xml.ts";

/** S3 for counts, knobs and error codes (it shares the query services' error table shape). */
export const S3_SERVICE: QueryService = {
  name: "S3",
  signingName: "s3",
  protocol: "awsQuery",
  version: "2006-03-01",
  xmlNamespace: "http://s3.amazonaws.com/doc/2006-03-01/",
  errors: {
    throttle: { code: "SlowDown", status: 503 },
    fault: { code: "InternalError", status: 500 },
    unknownOperation: { code: "NotImplemented", status: 501 },
    validation: { code: "InvalidArgument", status: 400 },
  },
  operations: {},
};

const CONTROL_PLANE: Record<string, ControlPlaneHandler> = {
  ListBuckets: listBuckets,
  GetBucketLifecycleConfiguration: getBucketLifecycle,
  PutBucketLifecycleConfiguration: putBucketLifecycle,
  DeleteBucketLifecycle: deleteBucketLifecycle,
  ListMultipartUploads: listMultipartUploads,
  ListParts: listParts,
  AbortMultipartUpload: abortMultipartUpload,
  GetBucketTagging: getBucketTagging,
  GetBucketVersioning: getBucketVersioning,
  ListBucketInventoryConfigurations: listBucketInventoryConfigurations,
  GetBucketInventoryConfiguration: getBucketInventoryConfiguration,
};

/** Calls s3rver would misread (it serves `?attributes` as a plain GetObject): refused instead. */
const NOT_PROXIED = new Set(["GetObjectAttributes"]);

export interface S3Deps {
  requestId: string;
  /** Counts the call and applies latency and the throttle/fault knobs; throws the knob's error. */
  gate(operation: string): Promise<void>;
  context(): SandboxContext;
  upstream?: string;
}

/** An S3 REST request: not awsJson (no X-Amz-Target) and not a form-encoded query call. */
export function isS3Request(req: IncomingMessage): boolean {
  if (req.headers["x-amz-target"] !== undefined) return false;
  const scope = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(req.headers.authorization ?? "")?.[1];
  if (scope !== undefined) return scope === "s3";
  const form = (req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded");
  return !(req.method === "POST" && form);
}

export async function serveS3(req: IncomingMessage, res: ServerResponse, deps: S3Deps): Promise<void> {
  const s3 = s3Request(req.method ?? "GET", req.url ?? "/", req.headers);
  const method = s3.method;
  try {
    await deps.gate(s3.operation);
    const handler = CONTROL_PLANE[s3.operation];
    if (handler) {
      const reply = await handler(s3, deps.context(), () => readBody(req));
      writeXml(res, deps.requestId, reply.status, reply.body, reply.headers);
      return;
    }
    if (!deps.upstream || NOT_PROXIED.has(s3.operation)) {
      throw new S3Error("NotImplemented", `The sandbox does not implement S3.${s3.operation}.`, 501);
    }
    let status: number;
    try {
      status = await proxyS3(req, res, s3, deps.upstream);
    } catch (err) {
      throw new S3Error(
        "InternalError",
        `The sandbox's S3 store is unreachable: ${(err as Error).message}`,
        500,
      );
    }
    if (status < 300) keepBucketsInStep(s3.operation, s3.bucket, deps.context());
  } catch (err) {
    const e =
      err instanceof SandboxError
        ? err
        : new S3Error("InternalError", `Sandbox handler failed: ${(err as Error).message}`, 500);
    writeS3Error(res, deps.requestId, e, method, e instanceof S3Error ? e.details : {});
  }
}

/** ListBuckets answers from the scenario: buckets made or removed through the sandbox join or leave it. */
function keepBucketsInStep(operation: string, bucket: string | undefined, ctx: SandboxContext): void {
  if (bucket === undefined) return;
  const buckets = ctx.scenario.s3.buckets;
  if (operation === "CreateBucket" && !buckets.some((b) => b.name === bucket)) {
    buckets.push({ name: bucket, creationTime: ctx.now, tags: {}, objects: [] });
  }
  if (operation === "DeleteBucket") {
    ctx.scenario.s3.buckets = buckets.filter((b) => b.name !== bucket);
  }
}
