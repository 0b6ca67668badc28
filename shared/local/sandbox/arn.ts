import type { Scenario } from "./types.ts";

/** SageMaker lowercases resource names in ARNs (names themselves keep their case). */
export function sagemakerArn(
  s: Pick<Scenario, "region" | "accountId">,
  kind: "endpoint" | "endpoint-config" | "model" | "notebook-instance" | "training-job",
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
