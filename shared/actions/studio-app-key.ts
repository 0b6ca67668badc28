/**
 * Which Studio app a finding is about. An app ARN reads
 * `arn:aws:sagemaker:<region>:<account>:app/<domainId>/<userProfile-or-space>/<appType>/<appName>`,
 * but SageMaker lowercases names in ARNs and the ARN does not say whether the middle part is
 * a user profile or a space. So, in order of trust:
 * - the finding's evidence `userProfileName` / `spaceName` / `appName` / `appType` (the
 *   detector copies them from ListApps, exact case);
 * - else `resource.id` when it has the ARN's four-part shape `domainId/owner/appType/appName`;
 * - else the ARN.
 * Assumption, when the evidence names neither a profile nor a space: JupyterLab and CodeEditor
 * apps run only in spaces, so the owner part is a space; other app types (Studio Classic's
 * JupyterServer, KernelGateway, …) are taken to belong to a user profile.
 */
import { type AppKey, canonicalAppType } from "../aws/actions-studio.ts";
import { UnknownResourceError } from "../errors.ts";
import type { Finding } from "../types.ts";

const SPACE_ONLY_APP_TYPES = new Set(["JupyterLab", "CodeEditor"]);

function text(evidence: Record<string, unknown>, key: string): string | undefined {
  const v = evidence[key];
  return typeof v === "string" && v.length > 0 ? v : undefined;
}

function pathParts(finding: Finding): string[] {
  const fromId = finding.resource.id.split("/");
  if (fromId.length === 4 && fromId.every((p) => p.length > 0)) return fromId;
  const resource = finding.resource.arn.split(":").slice(5).join(":");
  const [kind, ...rest] = resource.split("/");
  if (kind !== "app" || rest.length !== 4) {
    throw new UnknownResourceError(
      `cannot tell which Studio app ${finding.resource.arn} is (expected app/<domainId>/<owner>/<appType>/<appName>)`,
    );
  }
  return rest;
}

export function appKeyOf(finding: Finding): AppKey {
  const [domainId, owner, rawType, rawName] = pathParts(finding) as [string, string, string, string];
  const ev = finding.evidence;
  const appType = canonicalAppType(text(ev, "appType") ?? rawType);
  if (!appType)
    throw new UnknownResourceError(`unknown Studio app type "${rawType}" in ${finding.resource.arn}`);
  const spaceName = text(ev, "spaceName");
  const userProfileName = text(ev, "userProfileName");
  const common = {
    domainId: text(ev, "domainId") ?? domainId,
    appType,
    appName: text(ev, "appName") ?? rawName,
  };
  if (spaceName) return { ...common, spaceName };
  if (userProfileName) return { ...common, userProfileName };
  // The detector writes "-" when ListApps named neither (it should not happen).
  if (owner === "-")
    throw new UnknownResourceError(`${finding.resource.id}: neither a user profile nor a space`);
  return SPACE_ONLY_APP_TYPES.has(appType)
    ? { ...common, spaceName: owner }
    : { ...common, userProfileName: owner };
}

/** "JupyterLab app default of space alice-space", for details and errors. */
export function appLabel(key: AppKey): string {
  const owner =
    key.spaceName !== undefined ? `space ${key.spaceName}` : `user profile ${key.userProfileName}`;
  return `${key.appType} app ${key.appName} of ${owner}`;
}
