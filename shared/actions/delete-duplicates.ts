/**
 * Deletes the extra copies of a proven `s3-duplicates` group, keeping the chosen copy. Right
 * before acting, every object is read again: the kept copy must still be there unchanged (same
 * size and ETag, not modified since the scan), else nothing is deleted (InvalidStateError);
 * a copy that changed, is now locked, or is gone is left alone and reported. The undo record
 * (saved before any delete, then again with the delete markers) holds the kept key and every
 * deleted key with its version id. In a versioned bucket a delete only adds a delete marker:
 * `restore-duplicates` removes it; elsewhere it copies the kept copy back (proven identical).
 *
 * ```yaml
 * - name: duplicate-s3-objects
 *   type: s3-duplicates
 *   mode: enforce
 *   timeoutAction: none
 * ```
 */
import { deleteObject, objectState } from "../aws/s3-actions.ts";
import { InvalidStateError } from "../errors.ts";
import type { Finding } from "../types.ts";
import { clientsFor, GONE, undoFor } from "./common.ts";
import type { ResourceAction } from "./types.ts";

interface Copy {
  bucket: string;
  key: string;
  etag: string;
  lastModified?: string;
  storageClass?: string;
}

function groupOf(finding: Finding): { size: number; keep: Copy; toDelete: Copy[] } {
  const e = finding.evidence as {
    size?: number;
    proven?: boolean;
    keep?: { bucket: string; key: string };
    copies?: Copy[];
    toDelete?: Copy[];
  };
  if (e.proven !== true || !e.keep || !e.copies || !e.toDelete || typeof e.size !== "number") {
    throw new InvalidStateError(finding.resource.id, "not a proven duplicate group", ["proven"]);
  }
  const find = (c: { bucket: string; key: string }) =>
    e.copies?.find((x) => x.bucket === c.bucket && x.key === c.key) ?? { ...c, etag: "" };
  return { size: e.size, keep: find(e.keep), toDelete: e.toDelete.map(find) };
}

const unchanged = (
  now: { size: number; etag: string; lastModified: Date },
  then: Copy,
  size: number,
): boolean =>
  now.size === size &&
  now.etag === then.etag &&
  (then.lastModified === undefined || now.lastModified.getTime() <= new Date(then.lastModified).getTime());

export const deleteDuplicates: ResourceAction = {
  resourceType: "s3:object",
  kind: "delete",
  permissions: ["s3:GetObject", "s3:GetObjectVersion", "s3:DeleteObject"],
  validOriginStates: ["duplicate"],
  doneStates: [GONE],
  async run(clients, finding, saveUndo) {
    const { s3 } = clientsFor(clients, finding.resource.region);
    const { size, keep, toDelete } = groupOf(finding);
    const kept = await objectState(s3, keep.bucket, keep.key);
    if (!kept || !unchanged(kept, keep, size)) {
      throw new InvalidStateError(`s3://${keep.bucket}/${keep.key}`, kept ? "changed" : GONE, ["unchanged"]);
    }
    const plan: Array<Copy & { versionId?: string }> = [];
    const skipped: string[] = [];
    let gone = 0;
    for (const c of toDelete) {
      const now = await objectState(s3, c.bucket, c.key);
      if (!now) gone++;
      else if (now.locked) skipped.push(`s3://${c.bucket}/${c.key} (Object Lock or legal hold)`);
      else if (!unchanged(now, c, size)) skipped.push(`s3://${c.bucket}/${c.key} (changed since the scan)`);
      else plan.push({ ...c, ...(now.versionId ? { versionId: now.versionId } : {}) });
    }
    if (plan.length === 0) {
      return {
        result: "already",
        fromState: gone > 0 ? GONE : "changed",
        detail: `nothing to delete: ${gone} copy(ies) already gone${skipped.length ? `, left alone: ${skipped.join(", ")}` : ""}`,
      };
    }
    const data = {
      kept: { bucket: keep.bucket, key: keep.key, etag: keep.etag },
      deleted: plan.map((c) => ({
        bucket: c.bucket,
        key: c.key,
        etag: c.etag,
        ...(c.versionId ? { versionId: c.versionId } : {}),
        ...(c.storageClass ? { storageClass: c.storageClass } : {}),
      })),
      skipped,
    };
    await saveUndo(undoFor(finding, "delete", data));
    const deleted: Array<Record<string, unknown>> = [];
    for (const [i, c] of plan.entries()) {
      const marker = await deleteObject(s3, c.bucket, c.key);
      deleted.push({ ...data.deleted[i], ...marker });
    }
    const undo = undoFor(finding, "delete", { ...data, deleted });
    await saveUndo(undo);
    return {
      result: "done",
      fromState: "duplicate",
      detail:
        `deleted ${plan.length} copy(ies) of s3://${keep.bucket}/${keep.key}` +
        (skipped.length ? `; left alone: ${skipped.join(", ")}` : "") +
        (gone ? `; ${gone} already gone` : ""),
      undo,
    };
  },
};
