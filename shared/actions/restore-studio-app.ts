import { type AppKey, type AppResourceSpec, createApp, describeAppState } from "../aws/actions-studio.ts";
import { InvalidUndoRecordError } from "../errors.ts";
import { checkOrigin, clientsFor, GONE, undoRegion, undoString } from "./common.ts";
import { appLabel } from "./studio-app-key.ts";
import type { RestoreAction } from "./types.ts";

/** CreateApp when the app is `Deleted` or gone; `InService`/`Pending` is restored already; `Deleting`/`Failed` throws. */
const contract = { validOriginStates: ["Deleted", GONE], doneStates: ["InService", "Pending"] };

function appKeyFrom(data: Record<string, unknown>, what: string): AppKey {
  const common = {
    domainId: undoString(data, "domainId", what),
    appType: undoString(data, "appType", what),
    appName: undoString(data, "appName", what),
  };
  if (typeof data.spaceName === "string") return { ...common, spaceName: data.spaceName };
  if (typeof data.userProfileName === "string") return { ...common, userProfileName: data.userProfileName };
  throw new InvalidUndoRecordError(`undo record for ${what} names neither a space nor a user profile`);
}

function recordOf(value: unknown): Record<string, string> {
  if (typeof value !== "object" || value === null) return {};
  return Object.fromEntries(
    Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string"),
  );
}

/**
 * Undoes `delete-studio-app`: CreateApp with the saved ResourceSpec (instance type, image,
 * lifecycle config) and tags. The user's files were in the space's storage all along.
 */
export const restoreStudioApp: RestoreAction = {
  resourceType: "sagemaker:app",
  permissions: ["sagemaker:DescribeApp", "sagemaker:CreateApp", "sagemaker:AddTags"],
  async run(clients, undo) {
    const key = appKeyFrom(undo.data, undo.resourceArn);
    const { sagemaker } = clientsFor(clients, undoRegion(undo));
    const label = appLabel(key);
    const found = await describeAppState(sagemaker, key);
    if (checkOrigin(contract, label, found?.status ?? GONE) === "done") {
      return { detail: `${label} is already ${found?.status}` };
    }
    const saved = undo.data.resourceSpec;
    const resourceSpec = typeof saved === "object" && saved !== null ? (saved as AppResourceSpec) : undefined;
    const { created, skippedTags } = await createApp(sagemaker, key, resourceSpec, recordOf(undo.data.tags));
    if (!created) return { detail: `${label} was created meanwhile: already restored` };
    return {
      detail:
        `re-created ${label}${resourceSpec?.InstanceType ? ` on ${resourceSpec.InstanceType}` : ""}` +
        (skippedTags.length > 0 ? `; AWS-reserved tags not restored: ${skippedTags.join(", ")}` : ""),
    };
  },
};
