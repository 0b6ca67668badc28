import type { Scenario } from "./types.ts";

/** SageMaker lowercases resource names in ARNs (names themselves keep their case). */
export function sagemakerArn(
  s: Pick<Scenario, "region" | "accountId">,
  kind: "endpoint" | "endpoint-config" | "model" | "notebook-instance" | "training-job" | "processing-job",
  name: string,
): string {
  return `arn:aws:sagemaker:${s.region}:${s.accountId}:${kind}/${name.toLowerCase()}`;
}

export function ec2Arn(
  s: Pick<Scenario, "region" | "accountId">,
  kind: "instance" | "volume",
  id: string,
): string {
  return `arn:aws:ec2:${s.region}:${s.accountId}:${kind}/${id}`;
}

/** S3 bucket ARNs carry neither region nor account. */
export function s3BucketArn(name: string): string {
  return `arn:aws:s3:::${name}`;
}

/** `{k: v}` → AWS's `[{Key, Value}]`. */
export function tagPairs(tags: Record<string, string>): Array<{ Key: string; Value: string }> {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

/**
 * Studio ARNs, lowercased like the others: `domain/d-…`, `user-profile/d-…/name`,
 * `space/d-…/name`, `app/d-…/<profile or space>/<app type>/<app name>`.
 */
export function studioArn(s: Pick<Scenario, "region" | "accountId">, path: string): string {
  return `arn:aws:sagemaker:${s.region}:${s.accountId}:${path.toLowerCase()}`;
}

export function notebookLifecycleConfigArn(s: Pick<Scenario, "region" | "accountId">, name: string): string {
  return studioArn(s, `notebook-instance-lifecycle-config/${name}`);
}

export function appArn(
  s: Pick<Scenario, "region" | "accountId">,
  a: { domainId: string; userProfileName?: string; spaceName?: string; appType: string; appName: string },
): string {
  return studioArn(s, `app/${a.domainId}/${a.spaceName ?? a.userProfileName}/${a.appType}/${a.appName}`);
}
