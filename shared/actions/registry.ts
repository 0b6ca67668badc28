/**
 * Actions and restores, registered by resource type (and kind). The act Lambda looks an
 * action up from the finding; `janitor restore` and the Undo button look a restore up from
 * the undo record. `allActionPermissions()` is what the act/restore role must grant.
 */
import type { ResourceType } from "../types.ts";
import { abortMultipart } from "./abort-multipart.ts";
import { applyLifecycle } from "./apply-lifecycle.ts";
import { deleteDuplicates } from "./delete-duplicates.ts";
import { deleteEndpoint } from "./delete-endpoint.ts";
import { deleteStudioApp } from "./delete-studio-app.ts";
import { deleteVolume } from "./delete-volume.ts";
import { restoreDuplicates } from "./restore-duplicates.ts";
import { restoreEc2Instance } from "./restore-ec2-instance.ts";
import { restoreEndpoint } from "./restore-endpoint.ts";
import { restoreLifecycle } from "./restore-lifecycle.ts";
import { restoreMultipart } from "./restore-multipart.ts";
import { restoreNotebookInstance } from "./restore-notebook-instance.ts";
import { restoreStudioApp } from "./restore-studio-app.ts";
import { restoreVolume } from "./restore-volume.ts";
import { stopEc2Instance } from "./stop-ec2-instance.ts";
import { stopNotebookInstance } from "./stop-notebook-instance.ts";
import { stopProcessingJob } from "./stop-processing-job.ts";
import { stopTrainingJob } from "./stop-training-job.ts";
import type { ActionKind, ResourceAction, RestoreAction } from "./types.ts";

const ACTIONS: readonly ResourceAction[] = [
  stopNotebookInstance,
  deleteEndpoint,
  deleteStudioApp,
  stopEc2Instance,
  stopTrainingJob,
  stopProcessingJob,
  deleteDuplicates,
  deleteVolume,
  applyLifecycle,
  abortMultipart,
];

const RESTORES: readonly RestoreAction[] = [
  restoreEndpoint,
  restoreNotebookInstance,
  restoreEc2Instance,
  restoreStudioApp,
  restoreDuplicates,
  restoreVolume,
  restoreLifecycle,
  restoreMultipart,
];

/** Every registered action, e.g. to list what a resource type supports. */
export function allActions(): readonly ResourceAction[] {
  return ACTIONS;
}

/** The action for this resource type and kind; undefined when there is none (e.g. stop on an endpoint). */
export function getAction(resourceType: ResourceType, kind: ActionKind): ResourceAction | undefined {
  return ACTIONS.find((a) => a.resourceType === resourceType && a.kind === kind);
}

/**
 * The restore for an undo record's resource type. `resourceType` is a string because undo
 * records are read back from the store; unknown types give undefined.
 */
export function getRestore(resourceType: string): RestoreAction | undefined {
  return RESTORES.find((r) => r.resourceType === resourceType);
}

/** The union of every action's and restore's IAM actions, sorted. */
export function allActionPermissions(): string[] {
  const all = new Set<string>();
  for (const a of [...ACTIONS, ...RESTORES]) for (const p of a.permissions) all.add(p);
  return [...all].sort();
}
