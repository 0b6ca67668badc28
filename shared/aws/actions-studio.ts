/** Studio app calls: describe (fresh state), delete, and re-create with the same ResourceSpec. */
import {
  AppType,
  CreateAppCommand,
  DeleteAppCommand,
  DescribeAppCommand,
  type ResourceSpec,
  type SageMakerClient,
} from "@aws-sdk/client-sagemaker";
import { isSageMakerAlreadyExists, isSageMakerNotFound, unlessMissing } from "./not-found.ts";
import { settableTags } from "./sagemaker-tags.ts";

/** Which app: exactly one of `userProfileName` (private, Studio Classic) and `spaceName`. */
export interface AppKey {
  domainId: string;
  userProfileName?: string;
  spaceName?: string;
  appType: string;
  appName: string;
}

/** The ResourceSpec as AWS describes it (InstanceType, SageMakerImageArn, …); CreateApp takes it back. */
export type AppResourceSpec = ResourceSpec;

export interface AppState {
  status: string;
  arn?: string;
  resourceSpec?: AppResourceSpec;
}

const APP_TYPES: readonly string[] = Object.values(AppType);

/** App ARNs are lowercase (`jupyterlab`); the API wants the canonical spelling (`JupyterLab`). */
export function canonicalAppType(text: string): string | undefined {
  return APP_TYPES.find((t) => t.toLowerCase() === text.toLowerCase());
}

function keyInput(key: AppKey) {
  return {
    DomainId: key.domainId,
    ...(key.spaceName !== undefined
      ? { SpaceName: key.spaceName }
      : { UserProfileName: key.userProfileName }),
    AppType: key.appType as AppType,
    AppName: key.appName,
  };
}

export async function describeAppState(client: SageMakerClient, key: AppKey): Promise<AppState | undefined> {
  const out = await unlessMissing(
    () => client.send(new DescribeAppCommand(keyInput(key))),
    isSageMakerNotFound,
  );
  if (!out) return undefined;
  return {
    status: out.Status ?? "Unknown",
    ...(out.AppArn ? { arn: out.AppArn } : {}),
    ...(out.ResourceSpec ? { resourceSpec: out.ResourceSpec } : {}),
  };
}

export async function deleteApp(client: SageMakerClient, key: AppKey): Promise<void> {
  await client.send(new DeleteAppCommand(keyInput(key)));
}

/**
 * `created: false` when the app appeared meanwhile (a concurrent restore, or the user opened
 * it); `skippedTags`: AWS-reserved `aws:` keys, which callers cannot set.
 */
export async function createApp(
  client: SageMakerClient,
  key: AppKey,
  resourceSpec: AppResourceSpec | undefined,
  tags: Record<string, string>,
): Promise<{ created: boolean; skippedTags: string[] }> {
  const settable = settableTags(tags);
  try {
    await client.send(
      new CreateAppCommand({
        ...keyInput(key),
        ...(resourceSpec ? { ResourceSpec: resourceSpec } : {}),
        ...(settable.tags.length > 0 ? { Tags: settable.tags } : {}),
      }),
    );
  } catch (err) {
    if (isSageMakerAlreadyExists(err)) return { created: false, skippedTags: settable.skipped };
    throw err;
  }
  return { created: true, skippedTags: settable.skipped };
}
