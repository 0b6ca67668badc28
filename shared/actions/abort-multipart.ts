/**
 * Aborts the stale incomplete multipart uploads an `s3-stale-multipart` finding names, then adds
 * the AbortIncompleteMultipartUpload rule so S3 does it from now on. Right before acting the
 * bucket's uploads are listed again: an upload the finding names that is gone (completed or
 * aborted meanwhile) is left alone and reported; one that is still there and still older than the
 * threshold is aborted. The evidence lists at most 50 uploads but counts all: when it says there
 * are more, the others still past the threshold are aborted too, and the detail says how many.
 * The undo record (saved BEFORE any abort or PUT) holds the previous lifecycle configuration;
 * aborted uploads themselves cannot be brought back, and `restore-multipart` says so.
 *
 * ```yaml
 * - name: stale-multipart-uploads
 *   type: s3-stale-multipart
 *   mode: enforce
 *   timeoutAction: delete
 * ```
 */
import { getLifecycle, putLifecycle } from "../aws/s3-lifecycle.ts";
import { abortUpload, listMultipartUploads } from "../aws/s3-multipart.ts";
import { InvalidStateError } from "../errors.ts";
import {
  abortsAllIncompleteUploads,
  type LifecycleConfiguration,
  type LifecycleRule,
  mergeRules,
} from "../s3/lifecycle.ts";
import type { Finding } from "../types.ts";
import { DAY_MS } from "../util/duration.ts";
import { clientsFor, GONE, undoFor } from "./common.ts";
import type { ResourceAction } from "./types.ts";

interface Listed {
  key: string;
  uploadId: string;
}

function planOf(finding: Finding): {
  listed: Listed[];
  count: number;
  minAgeDays: number;
  rule: LifecycleRule;
} {
  const e = finding.evidence as {
    uploads?: Listed[];
    uploadCount?: number;
    minAgeDays?: number;
    proposedLifecycleRule?: LifecycleRule;
  };
  if (
    !Array.isArray(e.uploads) ||
    typeof e.uploadCount !== "number" ||
    typeof e.minAgeDays !== "number" ||
    !e.proposedLifecycleRule
  ) {
    throw new InvalidStateError(finding.resource.id, "not a stale-multipart finding", ["stale"]);
  }
  return { listed: e.uploads, count: e.uploadCount, minAgeDays: e.minAgeDays, rule: e.proposedLifecycleRule };
}

const NOTE = "aborted uploads cannot be restored";

export const abortMultipart: ResourceAction = {
  resourceType: "s3:multipart-uploads",
  kind: "delete",
  permissions: [
    "s3:GetLifecycleConfiguration",
    "s3:ListBucketMultipartUploads",
    "s3:AbortMultipartUpload",
    "s3:PutLifecycleConfiguration",
  ],
  validOriginStates: ["stale"],
  doneStates: [GONE],
  async run(clients, finding, saveUndo) {
    const region = finding.resource.region;
    const { s3 } = clientsFor(clients, region);
    const bucket = finding.resource.id;
    const { listed, count, minAgeDays, rule } = planOf(finding);
    const cutoff = Date.now() - minAgeDays * DAY_MS;
    const uploads = await listMultipartUploads(s3, bucket, region);
    const stale = (u: { initiated: Date }) => u.initiated.getTime() <= cutoff;
    const byId = new Map(uploads.map((u) => [u.uploadId, u]));
    const plan: Listed[] = [];
    const leftAlone: string[] = [];
    for (const l of listed) {
      const now = byId.get(l.uploadId);
      if (!now) leftAlone.push(`${l.key} (completed or aborted since the scan)`);
      else if (!stale(now)) leftAlone.push(`${l.key} (younger than ${minAgeDays} days)`);
      else plan.push({ key: now.key, uploadId: now.uploadId });
    }
    // The evidence lists the biggest 50; the rest are found again by the same threshold.
    const listedIds = new Set(listed.map((l) => l.uploadId));
    const extra =
      count > listed.length
        ? uploads
            .filter((u) => !listedIds.has(u.uploadId) && stale(u))
            .map((u) => ({ key: u.key, uploadId: u.uploadId }))
        : [];

    const previous = await getLifecycle(s3, bucket);
    const rules = previous?.Rules ?? [];
    const needsRule = !rules.some(abortsAllIncompleteUploads);
    const applied: LifecycleConfiguration | undefined = needsRule
      ? {
          Rules: mergeRules(rules, [rule]),
          TransitionDefaultMinimumObjectSize:
            previous?.TransitionDefaultMinimumObjectSize ?? "all_storage_classes_128K",
        }
      : undefined;
    const toAbort = [...plan, ...extra];
    if (toAbort.length === 0 && !applied) {
      return {
        result: "already",
        fromState: GONE,
        detail: `no stale upload left in ${bucket} and its lifecycle already aborts them${leftAlone.length ? `; left alone: ${leftAlone.join(", ")}` : ""}`,
      };
    }
    const data = {
      bucket,
      previousLifecycle: previous ?? "none",
      ...(applied ? { appliedLifecycle: applied } : {}),
      aborted: toAbort,
      note: NOTE,
    };
    await saveUndo(undoFor(finding, "delete", data));
    let aborted = 0;
    const goneMeanwhile: string[] = [];
    for (const u of toAbort) {
      if (await abortUpload(s3, bucket, u.key, u.uploadId)) aborted++;
      else goneMeanwhile.push(`${u.key} (completed or aborted meanwhile)`);
    }
    if (applied) await putLifecycle(s3, bucket, applied);
    const undo = undoFor(finding, "delete", { ...data, abortedCount: aborted });
    await saveUndo(undo);
    const skipped = [...leftAlone, ...goneMeanwhile];
    return {
      result: "done",
      fromState: "stale",
      detail:
        `aborted ${aborted} incomplete upload(s) in ${bucket}` +
        (extra.length ? ` (${extra.length} of them beyond the ${listed.length} the notice listed)` : "") +
        (applied
          ? `; added lifecycle rule ${rule.ID} so S3 aborts them after ${minAgeDays} days from now on`
          : "; its lifecycle already aborts them") +
        (skipped.length ? `; left alone: ${skipped.join(", ")}` : "") +
        `; ${NOTE}`,
      undo,
    };
  },
};
