/**
 * Applies the lifecycle configuration an `s3-no-lifecycle` finding proposes. Right before acting
 * the bucket's lifecycle is read again: if its rules are no longer the ones the scan saw (someone
 * added or changed rules), nothing is done (InvalidStateError) — the next scan judges it afresh.
 * The previous configuration (or "none") is saved in the undo record BEFORE the PUT. The PUT sends
 * the bucket's own rules followed by ours: no rule of the owner's is ever dropped, and a merge with
 * clashing IDs or more than 1,000 rules is refused. Run twice, the second run finds our rules
 * already there and does nothing. `restore-lifecycle` puts the previous configuration back.
 *
 * ```yaml
 * - name: ml-buckets-without-lifecycle
 *   type: s3-no-lifecycle
 *   mode: enforce
 *   timeoutAction: configure
 * ```
 */
import { getLifecycle, putLifecycle } from "../aws/s3-lifecycle.ts";
import { InvalidStateError } from "../errors.ts";
import {
  alreadyApplied,
  type LifecycleConfiguration,
  type LifecycleRule,
  mergeRules,
  sameRules,
} from "../s3/lifecycle.ts";
import type { Finding } from "../types.ts";
import { clientsFor, undoFor } from "./common.ts";
import type { ResourceAction } from "./types.ts";

/** The rules the scan saw and the rules it proposed, from the finding's evidence. */
export function lifecyclePlan(finding: Finding): {
  bucket: string;
  before: LifecycleRule[];
  ours: LifecycleRule[];
  minimumObjectSize: LifecycleConfiguration["TransitionDefaultMinimumObjectSize"];
} {
  const e = finding.evidence as {
    currentRules?: LifecycleRule[];
    proposedRules?: LifecycleRule[];
    proposedConfiguration?: LifecycleConfiguration;
  };
  if (!Array.isArray(e.currentRules) || !Array.isArray(e.proposedRules) || e.proposedRules.length === 0) {
    throw new InvalidStateError(finding.resource.id, "without a proposed lifecycle configuration", [
      "proposed",
    ]);
  }
  return {
    bucket: finding.resource.id,
    before: e.currentRules,
    ours: e.proposedRules,
    minimumObjectSize: e.proposedConfiguration?.TransitionDefaultMinimumObjectSize,
  };
}

export const applyLifecycle: ResourceAction = {
  resourceType: "s3:bucket",
  kind: "configure",
  permissions: ["s3:GetLifecycleConfiguration", "s3:PutLifecycleConfiguration"],
  validOriginStates: ["unchanged since the scan"],
  doneStates: ["configured"],
  async run(clients, finding, saveUndo) {
    const { s3 } = clientsFor(clients, finding.resource.region);
    const { bucket, before, ours, minimumObjectSize } = lifecyclePlan(finding);
    const current = await getLifecycle(s3, bucket);
    const rules = current?.Rules ?? [];
    if (alreadyApplied(rules, before, ours)) {
      return {
        result: "already",
        fromState: "configured",
        detail: `${bucket} already has the proposed lifecycle rules: nothing changed`,
      };
    }
    if (!sameRules(rules, before)) {
      throw new InvalidStateError(
        bucket,
        "changed since the scan",
        ["unchanged since the scan"],
        `the lifecycle configuration of ${bucket} changed since the scan (${before.length} rule(s) then, ` +
          `${rules.length} now): nothing was applied`,
      );
    }
    const applied: LifecycleConfiguration = {
      Rules: mergeRules(rules, ours),
      TransitionDefaultMinimumObjectSize:
        current?.TransitionDefaultMinimumObjectSize ?? minimumObjectSize ?? "all_storage_classes_128K",
    };
    const undo = undoFor(finding, "configure", { bucket, previous: current ?? "none", applied });
    await saveUndo(undo);
    await putLifecycle(s3, bucket, applied);
    return {
      result: "done",
      fromState: "unchanged since the scan",
      detail:
        `applied the lifecycle configuration to ${bucket}: added ${ours.map((r) => r.ID).join(", ")}` +
        (rules.length > 0 ? `; kept its ${rules.length} existing rule(s)` : ""),
      undo,
    };
  },
};
