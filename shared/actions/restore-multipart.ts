/**
 * Undoes what can be undone of `abort-multipart`: the lifecycle rule it added (the bucket's
 * previous lifecycle configuration is put back, or the lifecycle removed when it had none). The
 * aborted uploads themselves are gone for good — S3 freed their parts — and the detail says so.
 */
import { InvalidUndoRecordError } from "../errors.ts";
import { restorePreviousLifecycle } from "./restore-lifecycle.ts";
import type { RestoreAction } from "./types.ts";

export const restoreMultipart: RestoreAction = {
  resourceType: "s3:multipart-uploads",
  permissions: ["s3:GetLifecycleConfiguration", "s3:PutLifecycleConfiguration"],
  async run(clients, undo) {
    const aborted = undo.data.aborted;
    if (!Array.isArray(aborted)) {
      throw new InvalidUndoRecordError(`undo record for ${undo.resourceArn} has no list of aborted uploads`);
    }
    const lost = `the ${aborted.length} aborted upload(s) cannot be restored (S3 freed their parts)`;
    if (undo.data.appliedLifecycle === undefined) {
      return { detail: `nothing to put back: the lifecycle was not changed; ${lost}` };
    }
    const done = await restorePreviousLifecycle(clients, undo, "previousLifecycle", "appliedLifecycle");
    return { detail: `${done}; ${lost}` };
  },
};
