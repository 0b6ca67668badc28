/**
 * Undoes `delete-duplicates`: a copy deleted in a versioned bucket gets its delete marker
 * removed (the deleted version is current again); any other copy is copied back from the kept
 * copy, whose content was proven identical (and re-checked before the delete).
 */
import { copyObject, deleteObjectVersion } from "../aws/s3-actions.ts";
import { InvalidUndoRecordError } from "../errors.ts";
import { clientsFor, undoRegion } from "./common.ts";
import type { RestoreAction } from "./types.ts";

interface Deleted {
  bucket: string;
  key: string;
  storageClass?: string;
  deleteMarkerVersionId?: string;
}

export const restoreDuplicates: RestoreAction = {
  resourceType: "s3:object",
  permissions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObjectVersion"],
  async run(clients, undo) {
    const { s3 } = clientsFor(clients, undoRegion(undo));
    const kept = undo.data.kept as { bucket?: string; key?: string } | undefined;
    const deleted = undo.data.deleted as Deleted[] | undefined;
    if (!kept?.bucket || !kept.key || !Array.isArray(deleted)) {
      throw new InvalidUndoRecordError(
        `undo record for ${undo.resourceArn} has no kept copy or deleted list`,
      );
    }
    let markers = 0;
    let copies = 0;
    for (const d of deleted) {
      if (d.deleteMarkerVersionId) {
        await deleteObjectVersion(s3, d.bucket, d.key, d.deleteMarkerVersionId);
        markers++;
      } else {
        await copyObject(s3, { bucket: kept.bucket, key: kept.key }, d);
        copies++;
      }
    }
    return {
      detail: `restored ${deleted.length} copy(ies) of s3://${kept.bucket}/${kept.key}: ${markers} delete marker(s) removed, ${copies} copied back from the kept copy`,
    };
  },
};
